package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterPrometheusScrapeEndpoint;
import dev.bootcluster.worker.WorkerAgents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ClusterPrometheusAutoConfiguration} gives a worker, a primary's environment
 * and a plain application: the cluster-wide {@code prometheus} endpoint in place of
 * Boot's, in a worker only, and none over an application's own.
 */
class ClusterPrometheusAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterPrometheusAutoConfiguration.class,
				PrometheusMetricsExportAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=prometheus");

	@Test
	void aWorkerGetsTheClusterWideEndpointInPlaceOfBoots() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.run((context) -> {
				assertThat(context).hasSingleBean(PrometheusScrapeEndpoint.class)
					.hasSingleBean(ClusterPrometheusScrapeEndpoint.class);
				assertThat(context.getBean(MeterRegistry.class).find("cluster.metrics.scrape.missed").counter())
					.isNotNull();
			});
		}
	}

	@Test
	void aPrimarysEnvironmentOrAPlainApplicationGetsBootsEndpoint() {
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).hasSingleBean(PrometheusScrapeEndpoint.class)
				.doesNotHaveBean(ClusterPrometheusScrapeEndpoint.class));
	}

	@Test
	void withoutPrometheusOrWithItsExportOffAWorkerGetsNone() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class))
				.run((context) -> assertThat(context).doesNotHaveBean(PrometheusScrapeEndpoint.class));
			this.runner.withPropertyValues("management.prometheus.metrics.export.enabled=false")
				.run((context) -> assertThat(context).doesNotHaveBean(PrometheusScrapeEndpoint.class));
		}
	}

	@Test
	void anApplicationsOwnEndpointWins() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withUserConfiguration(OwnEndpoint.class)
				.run((context) -> assertThat(context).hasSingleBean(PrometheusScrapeEndpoint.class)
					.doesNotHaveBean(ClusterPrometheusScrapeEndpoint.class)
					.hasBean("ownPrometheusEndpoint"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		PrometheusScrapeEndpoint ownPrometheusEndpoint(PrometheusRegistry registry) {
			return new PrometheusScrapeEndpoint(registry, null);
		}

	}

}
