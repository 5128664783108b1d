package dev.bootcluster.autoconfigure;

import dev.bootcluster.channel.FrameCodec;
import dev.bootcluster.messaging.ClusterMessaging;
import dev.bootcluster.messaging.ClusterTemplate;
import dev.bootcluster.worker.WorkerAgent;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.unit.DataSize;

/**
 * In a worker: messages to and from the other workers through the primary, with
 * {@link ClusterTemplate} and {@code @ClusterListener} methods; {@code @ClusterEvent}
 * events relayed to the other workers.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnClass(JsonMapper.class)
public class ClusterWorkerMessagingAutoConfiguration {

	private static final String MAX_SIZE = "cluster.messaging.max-size";

	@Bean
	static ClusterMessaging clusterMessaging() {
		return new ClusterMessaging();
	}

	@Bean
	ClusterTemplate clusterTemplate(ClusterMessaging messaging, ObjectProvider<JsonMapper> mapper,
			ApplicationEventPublisher publisher, Environment environment, ResourceLoader resourceLoader) {
		DataSize maxSize = Binder.get(environment).bind(MAX_SIZE, DataSize.class).orElse(DataSize.ofMegabytes(1));
		if (maxSize.toBytes() < 1 || maxSize.toBytes() > FrameCodec.MAX_PAYLOAD) {
			throw new InvalidClusterPropertyException(MAX_SIZE, maxSize,
					"a size from 1B to " + (FrameCodec.MAX_PAYLOAD >> 20) + "MB, such as 1MB");
		}
		return messaging.start(WorkerAgent.running()::exchange, mapper.getIfAvailable(), publisher, maxSize.toBytes(),
				resourceLoader.getClassLoader());
	}

}
