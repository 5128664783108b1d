package dev.bootcluster.sample;

import java.time.Duration;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new user needs to know, told once by the primary as the cluster starts: how to
 * expose the {@code cluster} endpoint when it is not, and that {@code @Scheduled} tasks
 * run in every worker unless annotated {@code @ClusterSingleton}.
 * ({@link GeneratedPasswordIT} checks that the sample's defaults get neither.)
 */
class StartupHintsIT {

	static final String NOT_EXPOSED = "The cluster endpoint is not exposed over HTTP";

	static final String SCHEDULED = "scheduled tasks \\(@Scheduled\\) run in every worker";

	@Test
	void unexposedEndpointAndScheduledTasksAreEachToldOnceByThePrimary() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("management.endpoints.web.exposure.include", "health")
			.property("sample.scheduled-task", "true")
			.start("startup-hints")) {
			cluster.awaitReady(2);
			String primary = " INFO " + cluster.pid() + " --- ";
			assertThat(cluster.awaitLine(NOT_EXPOSED, Duration.ofSeconds(30))).contains(primary)
				.contains("management.endpoints.web.exposure.include")
				.contains("management.endpoint.cluster.access=unrestricted");
			assertThat(cluster.awaitLine(SCHEDULED, Duration.ofSeconds(30))).contains(primary)
				.contains("@ClusterSingleton (dev.bootcluster.scheduling)");
			assertThat(cluster.countLines(NOT_EXPOSED)).isEqualTo(1);
			assertThat(cluster.countLines(SCHEDULED)).isEqualTo(1);
		}
	}

}
