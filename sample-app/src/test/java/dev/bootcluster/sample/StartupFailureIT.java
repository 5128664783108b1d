package dev.bootcluster.sample;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster that cannot start says why, the way Spring Boot would, exits non-zero, and
 * leaves nothing running.
 */
class StartupFailureIT {

	@Test
	void portInUseIsReportedBeforeAnyWorkerStarts() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(0));
			int port = taken.getLocalPort();
			try (ClusterProcess cluster = ClusterProcess.sample("port-in-use", "--server.port=" + port)) {
				assertThat(cluster.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
				assertThat(cluster.output()).contains("APPLICATION FAILED TO START")
					.contains("port " + port + " was already in use")
					.contains("Identify and stop the process that's listening on port " + port);
				assertThat(cluster.workerPids()).isEmpty();
				assertThat(cluster.output()).doesNotContain("Starting SampleApplication");
			}
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			cluster.workers=0                     | 'cluster.workers' | 'auto' (one worker per CPU
			cluster.workers=-2                    | 'cluster.workers' | or a whole number from 1
			cluster.workers=abc                   | 'cluster.workers' | or a whole number from 1
			cluster.restart.initial-delay=-1s     | 'cluster.restart.initial-delay' | a positive duration
			cluster.worker.shutdown-timeout=abc   | 'cluster.worker.shutdown-timeout' | a duration such as 500ms
			""")
	void badConfigurationFailsBeforeForkingAndNamesTheProperty(String setting, String property, String allowed)
			throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("bad-config-" + setting.replaceAll("\\W", "_"),
				"--" + setting)) {
			assertThat(cluster.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
			assertThat(cluster.output()).contains("APPLICATION FAILED TO START")
				.contains("for property " + property)
				.contains(allowed);
			assertThat(cluster.workerPids()).isEmpty();
		}
	}

	@Test
	void anApplicationThatCannotBootStopsTheClusterWithItsCause() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("cannot-boot", "--cluster.workers=2",
				"--sample.fail-on-start=true")) {
			assertThat(cluster.awaitExit(Duration.ofSeconds(90))).as("exit code: the application cannot boot")
				.isEqualTo(3);
			assertThat(cluster.output()).as("the worker's own Boot failure report")
				.contains("Application run failed")
				.containsPattern("Worker \\d \\(pid \\d+\\) could not start: java.lang.IllegalStateException: "
						+ "sample.fail-on-start is true: this application refuses to start");
			assertThat(cluster.workerPids()).hasSize(2)
				.noneMatch(ClusterProcess::isAlive);
		}
	}

}
