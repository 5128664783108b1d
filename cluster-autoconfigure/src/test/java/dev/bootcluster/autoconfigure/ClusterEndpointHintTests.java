package dev.bootcluster.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterEndpointHintTests {

	@Test
	void byDefaultTheEndpointIsNotExposedAndTheHintSaysHowToExposeAndOpenWrites() {
		assertThat(ClusterEndpointHint.hint(new MockEnvironment()))
			.contains("add 'cluster' to management.endpoints.web.exposure.include")
			.contains("management.endpoint.cluster.access=unrestricted");
	}

	@Test
	void anExposedEndpointNeedsNoHint() {
		assertThat(ClusterEndpointHint.hint(environment("health,cluster", null))).isNull();
		assertThat(ClusterEndpointHint.hint(environment("*", null))).isNull();
	}

	@Test
	void anExcludedEndpointGetsTheHint() {
		assertThat(ClusterEndpointHint.hint(environment("*", "cluster"))).isNotNull();
		assertThat(ClusterEndpointHint.hint(environment("health,info", null))).isNotNull();
	}

	@Test
	void theUpgradeRouteFollowsActuatorsBasePathAndTheEndpointsMapping() {
		assertThat(ClusterEndpointHint.upgradeRoute(new MockEnvironment())).isEqualTo("POST /actuator/cluster/upgrade");
		assertThat(ClusterEndpointHint
			.upgradeRoute(new MockEnvironment().withProperty("management.endpoints.web.base-path", "/manage")
				.withProperty("management.endpoints.web.path-mapping.cluster", "workers")))
			.isEqualTo("POST /manage/workers/upgrade");
	}

	private static MockEnvironment environment(String include, String exclude) {
		MockEnvironment environment = new MockEnvironment().withProperty("management.endpoints.web.exposure.include",
				include);
		return (exclude != null) ? environment.withProperty("management.endpoints.web.exposure.exclude", exclude)
				: environment;
	}

}
