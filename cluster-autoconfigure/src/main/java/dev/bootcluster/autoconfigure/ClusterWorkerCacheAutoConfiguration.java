package dev.bootcluster.autoconfigure;

import dev.bootcluster.cache.CacheInvalidations;
import dev.bootcluster.cache.CoherentCacheManagers;
import dev.bootcluster.messaging.ClusterTemplate;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker, unless {@code cluster.cache.coherent=false}: what Spring Cache evicts,
 * puts or clears in one worker is evicted in every other, through the workers' messaging.
 */
@AutoConfiguration(after = ClusterWorkerMessagingAutoConfiguration.class)
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBooleanProperty(name = "cluster.cache.coherent", matchIfMissing = true)
public class ClusterWorkerCacheAutoConfiguration {

	@Bean
	static CoherentCacheManagers clusterCoherentCacheManagers(ObjectProvider<CacheInvalidations> invalidations) {
		return new CoherentCacheManagers(invalidations::getObject);
	}

	@Bean
	CacheInvalidations clusterCacheInvalidations(ObjectProvider<ClusterTemplate> template) {
		return new CacheInvalidations(template::getObject);
	}

}
