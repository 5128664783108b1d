package dev.bootcluster.sample;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster that cannot start says why, the way Spring Boot would, exits non-zero, and
 * leaves nothing running.
 */
class StartupFailureIT {

	@TempDir
	Path temp;

	/** Where every process that creates the application's context writes its pid. */
	private Path constructionLog() {
		return this.temp.resolve("constructed.txt");
	}

	@Test
	void portInUseIsReportedBeforeAnyWorkerStarts() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(0));
			int port = taken.getLocalPort();
			try (ClusterProcess cluster = Sample.command()
				.property("server.port", Integer.toString(port))
				.property("sample.construction-log", constructionLog().toString())
				.start("port-in-use")) {
				assertThat(cluster.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
				// Boot's failure report is the feature here.
				assertThat(cluster.output()).contains("APPLICATION FAILED TO START")
					.contains("port " + port + " was already in use")
					.contains("Identify and stop the process that's listening on port " + port);
				assertThat(cluster.workerPids()).isEmpty();
				assertThat(constructionLog()).as("no application context created anywhere").doesNotExist();
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
		try (ClusterProcess cluster = Sample.command()
			.arguments("--" + setting)
			.property("sample.construction-log", constructionLog().toString())
			.start("bad-config-" + setting.replaceAll("\\W", "_"))) {
			assertThat(cluster.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
			// The report naming the property and the values allowed is the feature here.
			assertThat(cluster.output()).contains("APPLICATION FAILED TO START")
				.contains("for property " + property)
				.contains(allowed);
			assertThat(cluster.workerPids()).isEmpty();
			assertThat(constructionLog()).as("no application context created anywhere").doesNotExist();
		}
	}

	@Test
	void anApplicationThatCannotBootStopsTheClusterWithItsCause() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("sample.fail-on-start", "true")
			.property("sample.construction-log", constructionLog().toString())
			.start("cannot-boot")) {
			assertThat(cluster.awaitExit(ClusterProcess.READY_TIMEOUT)).as("exit code: the application cannot boot")
				.isEqualTo(3);
			assertThat(cluster.output()).as("the worker's own Boot failure report")
				.contains("Application run failed")
				.containsPattern("Worker \\d \\(pid \\d+\\) could not start: java.lang.IllegalStateException: "
						+ "sample.fail-on-start is true: this application refuses to start");
			List<Long> constructed = Files.readAllLines(constructionLog()).stream().map(Long::parseLong).toList();
			// One per worker at most (a worker that cannot boot is not restarted); the
			// second may
			// be stopped before it gets that far when the first fails quickly.
			assertThat(constructed).as("processes that tried to boot the application")
				.hasSizeBetween(1, 2)
				.doesNotContain(cluster.pid())
				.noneMatch(ClusterProcess::isAlive);
		}
	}

}
