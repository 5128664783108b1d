package dev.bootcluster.sample;

import java.time.Duration;
import java.util.List;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's console: one banner for the cluster, the primary's, unless
 * {@code cluster.worker.banner=true}; and a Tomcat worker on its Unix socket says where
 * it listens, not only Boot's {@code port -1}.
 */
class ConsoleIT {

	/** A line of Boot's default banner. */
	private static final String BANNER = ":: Spring Boot ::";

	@Test
	void theClusterPrintsOneBannerThePrimarysAndEachWorkerSaysWhereItListens() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("console")) {
			cluster.awaitReady(2);
			assertThat(cluster.countLines(BANNER)).isEqualTo(1);
			List<String> lines = cluster.lines();
			int banner = indexOf(lines, BANNER);
			int firstPrimaryLine = indexOf(lines, " " + cluster.pid() + " --- ");
			assertThat(banner).as("the banner comes before the primary's first log line").isLessThan(firstPrimaryLine);
			for (int id = 1; id <= 2; id++) {
				assertThat(cluster.awaitLine(
						"Tomcat started on unix:/.*/worker-" + id + "-\\d+\\.sock \\(worker " + id + ";",
						Duration.ofSeconds(30)))
					.contains(" INFO " + cluster.workerPids().get(id - 1) + " --- ");
			}
		}
	}

	@Test
	void workersPrintTheirBannersWhenAskedTo() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(1)
			.property("cluster.worker.banner", "true")
			.start("console-worker-banner")) {
			cluster.awaitReady(1);
			assertThat(cluster.countLines(BANNER)).isEqualTo(2);
		}
	}

	private static int indexOf(List<String> lines, String text) {
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(text)) {
				return i;
			}
		}
		throw new AssertionError("No line with '" + text + "'");
	}

}
