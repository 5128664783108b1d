package dev.bootcluster.autoconfigure;

import java.util.Map;
import java.util.stream.Collectors;

import dev.bootcluster.actuate.ClusterControl;
import dev.bootcluster.actuate.ClusterEndpoint;
import dev.bootcluster.actuate.ClusterHealthIndicator;
import dev.bootcluster.actuate.ClusterMetrics;
import dev.bootcluster.actuate.ClusterPage;
import dev.bootcluster.actuate.ClusterPageViewers;
import dev.bootcluster.actuate.ClusterScaleEndpoint;
import dev.bootcluster.actuate.ServletSecurityPageViewers;
import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * What {@link ClusterActuatorAutoConfiguration} gives a worker, a primary's environment
 * and a plain application, with and without actuator, health and Micrometer; and that the
 * cluster's write operations are off until the application allows them.
 */
class ClusterActuatorAutoConfigurationTests {

	private static final String MAY_RELOAD = "<meta name=\"cluster-may-reload\" content=\"";

	private static final String MAY_SCALE = "<meta name=\"cluster-may-scale\" content=\"";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterActuatorAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withPropertyValues("management.endpoints.web.exposure.include=cluster,clusterscale");

	@Test
	void aWorkerGetsTheReadOnlyEndpointHealthAndMetricsButNoScaling() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.run((context) -> {
				assertThat(context).hasSingleBean(ClusterControl.class)
					.hasSingleBean(ClusterEndpoint.class)
					.hasSingleBean(ClusterHealthIndicator.class)
					.hasSingleBean(ClusterMetrics.class)
					.hasBean("clusterScalePathMapper")
					.doesNotHaveBean(ClusterScaleEndpoint.class);
				assertThat(operations(context.getBean(WebEndpointsSupplier.class)))
					.containsExactly(Map.entry("cluster", 1));
				assertThat(context.getBean(ClusterPage.class).render(new ClusterPage.Viewer(true, null)))
					.as("the live view shows no buttons actuator does not map")
					.contains(MAY_RELOAD + "false")
					.contains(MAY_SCALE + "false");
				assertThat(context.getBean(ClusterPageViewers.class)).isInstanceOf(ServletSecurityPageViewers.class);
			});
		}
	}

	@Test
	void writeOperationsAndScalingAreThereOnceAllowed() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner
				.withPropertyValues("management.endpoint.cluster.access=unrestricted",
						"management.endpoint.clusterscale.access=unrestricted")
				.run((context) -> {
					assertThat(context).hasSingleBean(ClusterEndpoint.class).hasSingleBean(ClusterScaleEndpoint.class);
					assertThat(operations(context.getBean(WebEndpointsSupplier.class)))
						.containsOnly(Map.entry("cluster", 3), Map.entry("clusterscale", 1));
					assertThat(context.getBean(ClusterPage.class).render(new ClusterPage.Viewer(true, null)))
						.contains(MAY_RELOAD + "true")
						.contains(MAY_SCALE + "true");
				});
		}
	}

	@Test
	void whoSeesTheLiveViewsButtonsWithoutSpringSecurityAndInAReactiveApplication() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
				.run((context) -> assertThat(context.getBean(ClusterPageViewers.class))
					.isSameAs(ClusterPageViewers.ANYONE));
			new ReactiveWebApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ClusterActuatorAutoConfiguration.class,
						EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
				.withPropertyValues("management.endpoints.web.exposure.include=cluster")
				.run((context) -> assertThat(context.getBean(ClusterPageViewers.class))
					.as("a reactive application: no servlet request to ask Spring Security's rules about")
					.isSameAs(ClusterPageViewers.LOGGED_IN));
		}
	}

	@Test
	void aPrimarysEnvironmentOrAPlainApplicationGetsNothing() {
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).doesNotHaveBean(ClusterControl.class)
				.doesNotHaveBean(ClusterEndpoint.class)
				.doesNotHaveBean("clusterScalePathMapper"));
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ClusterControl.class));
	}

	@Test
	void aWorkerWithoutActuatorGetsNothing() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new WebApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ClusterActuatorAutoConfiguration.class))
				.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint.annotation"))
				.run((context) -> assertThat(context).doesNotHaveBean(ClusterControl.class)
					.doesNotHaveBean("clusterScalePathMapper"));
		}
	}

	@Test
	void withoutMicrometerOrHealthThoseAloneAreLeftOut() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
				.run((context) -> assertThat(context).hasSingleBean(ClusterEndpoint.class)
					.hasSingleBean(ClusterHealthIndicator.class)
					.doesNotHaveBean(ClusterMetrics.class));
			this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
				.run((context) -> assertThat(context).hasSingleBean(ClusterEndpoint.class)
					.hasSingleBean(ClusterMetrics.class)
					.doesNotHaveBean(ClusterHealthIndicator.class));
		}
	}

	@Test
	void theApplicationsOwnBeansReplaceEachOfOurs() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withPropertyValues("management.endpoint.clusterscale.access=unrestricted")
				.withUserConfiguration(UserBeans.class)
				.run((context) -> {
					assertThat(context.getBean(ClusterControl.class))
						.isSameAs(context.getBean(UserBeans.class).control);
					assertThat(context.getBean(ClusterEndpoint.class)).isSameAs(UserBeans.ENDPOINT);
					assertThat(context.getBean(ClusterScaleEndpoint.class)).isSameAs(UserBeans.SCALE);
					assertThat(context.getBean(ClusterMetrics.class)).isSameAs(UserBeans.METRICS);
					assertThat(context.getBean("clusterHealthIndicator")).isSameAs(UserBeans.HEALTH);
					assertThat(context.getBean("clusterScalePathMapper")).isSameAs(UserBeans.PATHS);
				});
		}
	}

	/** Each exposed endpoint's id and how many operations it maps. */
	private static Map<String, Integer> operations(WebEndpointsSupplier endpoints) {
		return endpoints.getEndpoints()
			.stream()
			.collect(Collectors.toMap((endpoint) -> endpoint.getEndpointId().toString(),
					(ExposableWebEndpoint endpoint) -> endpoint.getOperations().size()));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final ClusterEndpoint ENDPOINT = mock(ClusterEndpoint.class);

		static final ClusterScaleEndpoint SCALE = mock(ClusterScaleEndpoint.class);

		static final ClusterMetrics METRICS = mock(ClusterMetrics.class);

		static final HealthIndicator HEALTH = () -> Health.up().build();

		static final PathMapper PATHS = (endpointId) -> null;

		final ClusterControl control = mock(ClusterControl.class);

		@Bean
		ClusterControl userClusterControl() {
			return this.control;
		}

		@Bean
		ClusterEndpoint userClusterEndpoint() {
			return ENDPOINT;
		}

		@Bean
		ClusterScaleEndpoint userClusterScaleEndpoint() {
			return SCALE;
		}

		@Bean
		ClusterMetrics userClusterMetrics() {
			return METRICS;
		}

		@Bean
		HealthIndicator clusterHealthIndicator() {
			return HEALTH;
		}

		@Bean
		PathMapper clusterScalePathMapper() {
			return PATHS;
		}

	}

}
