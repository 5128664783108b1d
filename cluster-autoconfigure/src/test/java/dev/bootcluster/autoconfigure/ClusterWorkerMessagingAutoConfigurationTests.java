package dev.bootcluster.autoconfigure;

import dev.bootcluster.messaging.ClusterTemplate;
import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterWorkerMessagingAutoConfiguration}: no messaging outside a worker, and a
 * {@code cluster.messaging.max-size} out of range stops the worker with an error naming
 * the property.
 */
class ClusterWorkerMessagingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterWorkerMessagingAutoConfiguration.class));

	@Test
	void aPlainApplicationOrAPrimaryHasNoMessaging() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ClusterTemplate.class));
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterTemplate.class));
	}

	@Test
	void aMaximumSizeOutOfRangeIsRefusedNamingTheProperty() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			for (String size : new String[] { "0B", "64MB" }) {
				this.runner.withPropertyValues("cluster.messaging.max-size=" + size)
					.run((context) -> assertThat(context).getFailure()
						.rootCause()
						.isInstanceOf(InvalidClusterPropertyException.class)
						.hasMessageContaining("Property 'cluster.messaging.max-size' is ")
						.hasMessageContaining("a size from 1B to 15MB"));
			}
		}
	}

}
