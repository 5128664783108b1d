package dev.bootcluster.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configurations that customise a worker's servers, each run in a worker, a primary's
 * environment and a plain application, with each of Tomcat, Jetty and Reactor Netty on
 * the class path or not: {@link ClusterWorkerHopAutoConfiguration} (the internal hop),
 * {@link ClusterWorkerServerAutoConfiguration} (the 'os' policy's shared port) and
 * {@link ClusterWorkerManagementHopConfiguration} (actuator's own server).
 */
class ClusterWorkerServerCustomizersTests {

	/** What takes each server off the class path. */
	private static final Map<String, String> SERVER_PACKAGES = Map.of("Tomcat", "org.apache.tomcat", "Jetty",
			"org.eclipse.jetty", "Netty", "io.netty");

	/**
	 * A configuration, the properties that make a worker use it, those of a worker it
	 * stands aside for ({@code null}: none), and its beans ('cluster' + server + suffix).
	 */
	record Case(Class<?> configuration, List<String> properties, List<String> standAside, String suffix) {

		ApplicationContextRunner runner() {
			return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(this.configuration))
				.withPropertyValues(this.properties.toArray(String[]::new));
		}

		String bean(String server) {
			return "cluster" + server + this.suffix;
		}

		@Override
		public String toString() {
			return this.configuration.getSimpleName();
		}

	}

	static Stream<Case> cases() {
		return Stream.of(
				new Case(ClusterWorkerHopAutoConfiguration.class, List.of(), List.of("cluster.worker.shared-port=8080"),
						"Hop"),
				new Case(ClusterWorkerServerAutoConfiguration.class, List.of("cluster.worker.shared-port=8080"),
						List.of(), "ReusePort"),
				new Case(ClusterWorkerManagementHopConfiguration.class, List.of(), null, "ManagementHop"));
	}

	@ParameterizedTest
	@MethodSource("cases")
	void aWorkerCustomisesEachServerOnTheClassPath(Case configuration) {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			configuration.runner()
				.run((context) -> SERVER_PACKAGES.keySet()
					.forEach((server) -> assertThat(context).hasBean(configuration.bean(server))));
			SERVER_PACKAGES.forEach((absent, packageName) -> configuration.runner()
				.withClassLoader(new FilteredClassLoader(packageName))
				.run((context) -> SERVER_PACKAGES.keySet().forEach((server) -> {
					if (server.equals(absent)) {
						assertThat(context).doesNotHaveBean(configuration.bean(server));
					}
					else {
						assertThat(context).hasBean(configuration.bean(server));
					}
				})));
		}
	}

	@ParameterizedTest
	@MethodSource("cases")
	void aWorkerItDoesNotApplyToGetsNothing(Case configuration) {
		if (configuration.standAside() != null) {
			try (WorkerAgents.Installed worker = WorkerAgents.install()) {
				new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(configuration.configuration()))
					.withPropertyValues(configuration.standAside().toArray(String[]::new))
					.run((context) -> assertThat(context).getBeans(WebServerFactoryCustomizer.class).isEmpty());
			}
		}
	}

	@ParameterizedTest
	@MethodSource("cases")
	void aPrimarysEnvironmentOrAPlainApplicationGetsNothing(Case configuration) {
		configuration.runner()
			.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).getBeans(WebServerFactoryCustomizer.class).isEmpty());
		configuration.runner()
			.run((context) -> assertThat(context).getBeans(WebServerFactoryCustomizer.class).isEmpty());
	}

	@ParameterizedTest
	@MethodSource("cases")
	void theApplicationsOwnBeansReplaceEachOfOurs(Case configuration) {
		Map<String, WebServerFactoryCustomizer<?>> own = new LinkedHashMap<>();
		SERVER_PACKAGES.keySet().forEach((server) -> own.put(configuration.bean(server), (factory) -> {
		}));
		ApplicationContextRunner runner = configuration.runner();
		for (Map.Entry<String, WebServerFactoryCustomizer<?>> bean : own.entrySet()) {
			runner = runner.withBean(bean.getKey(), WebServerFactoryCustomizer.class, bean::getValue);
		}
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			runner.run((context) -> assertThat(context.getBeansOfType(WebServerFactoryCustomizer.class))
				.containsExactlyInAnyOrderEntriesOf(own));
		}
	}

}
