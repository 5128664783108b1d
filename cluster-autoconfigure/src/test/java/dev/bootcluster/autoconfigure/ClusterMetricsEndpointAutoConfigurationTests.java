package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterMetricsEndpoint;
import dev.bootcluster.worker.WorkerAgents;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ClusterMetricsEndpointAutoConfiguration} gives a worker, a primary's
 * environment and a plain application: the cluster-wide {@code metrics} endpoint in place
 * of Boot's, in a worker only, and none over an application's own.
 */
class ClusterMetricsEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterMetricsEndpointAutoConfiguration.class,
				MetricsEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=metrics");

	@Test
	void aWorkerGetsTheClusterWideEndpointInPlaceOfBoots() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.run((context) -> {
				assertThat(context).hasSingleBean(MetricsEndpoint.class).hasSingleBean(ClusterMetricsEndpoint.class);
				assertThat(context.getBean(MeterRegistry.class).find("cluster.metrics.scrape.missed").counter())
					.isNotNull();
			});
		}
	}

	@Test
	void aPrimarysEnvironmentOrAPlainApplicationGetsBootsEndpoint() {
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).hasSingleBean(MetricsEndpoint.class)
				.doesNotHaveBean(ClusterMetricsEndpoint.class));
	}

	@Test
	void withTheEndpointUnavailableAWorkerGetsNone() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withPropertyValues("management.endpoints.web.exposure.include=health")
				.run((context) -> assertThat(context).doesNotHaveBean(MetricsEndpoint.class));
		}
	}

	@Test
	void anApplicationsOwnEndpointWins() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withUserConfiguration(OwnEndpoint.class)
				.run((context) -> assertThat(context).hasSingleBean(MetricsEndpoint.class)
					.doesNotHaveBean(ClusterMetricsEndpoint.class)
					.hasBean("ownMetricsEndpoint"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		MetricsEndpoint ownMetricsEndpoint(MeterRegistry registry) {
			return new MetricsEndpoint(registry);
		}

	}

}
