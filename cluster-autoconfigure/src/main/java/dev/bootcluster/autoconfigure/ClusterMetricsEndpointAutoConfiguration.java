package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterMetricsEndpoint;
import dev.bootcluster.worker.WorkerAgent;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker with Micrometer: a {@code metrics} endpoint that covers the whole cluster,
 * in place of Boot's own (which backs off, being {@code @ConditionalOnMissingBean}).
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class },
		before = MetricsEndpointAutoConfiguration.class)
@ConditionalOnClass({ MetricsEndpoint.class, ConditionalOnAvailableEndpoint.class })
@Conditional(OnClusterWorkerCondition.class)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterMetricsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(MetricsEndpoint.class)
	MetricsEndpoint metricsEndpoint(MeterRegistry registry, ClusterProperties properties) {
		// The primary has checked the timeout before it forked this worker.
		return new ClusterMetricsEndpoint(registry, WorkerAgent.running(), properties.getMetrics().getScrapeTimeout());
	}

}
