package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM and SIGINT stop the cluster gracefully with exit code 0; SIGKILL of the
 * primary leaves no worker behind; a signal ignored from the start is said so.
 */
class ShutdownIT {

	@Test
	void sigtermLetsInFlightRequestsFinishAndExitsZero() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("shutdown-sigterm", "--cluster.workers=2")) {
			int port = cluster.awaitReady(2);
			List<Long> workers = cluster.workerPids();
			CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> {
				try {
					return Http.get(port, "/slow?ms=2000");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			cluster.awaitLine("Slow request started", Duration.ofSeconds(10));
			cluster.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

			Http.Response response = slow.get(30, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(workers).contains(response.pid());
			assertThat(cluster.awaitExit(Duration.ofSeconds(40))).isZero();
			assertThat(workers).noneMatch(ClusterProcess::isAlive);
			assertThat(cluster.output()).contains("Stopping the cluster (SIGTERM)").contains("Cluster stopped");
		}
	}

	@Test
	void sigintStopsTheClusterWithExitZero() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("shutdown-sigint", "--cluster.workers=2")) {
			cluster.awaitReady(2);
			List<Long> workers = cluster.workerPids();
			new ProcessBuilder("kill", "-INT", Long.toString(cluster.pid())).start().waitFor();
			assertThat(cluster.awaitExit(Duration.ofSeconds(40))).isZero();
			assertThat(workers).noneMatch(ClusterProcess::isAlive);
			assertThat(cluster.output()).contains("Stopping the cluster (SIGINT)");
		}
	}

	@Test
	void aPrimaryStartedWithSighupIgnoredSaysSoAndNamesTheEndpoint() throws Exception {
		List<String> command = new ArrayList<>(List.of("env", "--ignore-signal=HUP"));
		command.addAll(ClusterProcess.java());
		command.addAll(ClusterProcess.JVM_OPTIONS);
		command.addAll(List.of("-jar", ClusterProcess.SAMPLE_JAR.toString(), "--server.port=0", "--cluster.workers=1"));
		try (ClusterProcess cluster = ClusterProcess.start("sighup-ignored", command, null)) {
			cluster.awaitReady(1);
			String warning = cluster.awaitLine("WARN .*SIGHUP", Duration.ofSeconds(5));
			assertThat(warning).contains("SIGHUP (reload: use POST /actuator/cluster/reload instead)")
				.contains("nohup")
				.doesNotContain("SIGINT (stop");
			assertThat(cluster.countLines("WARN .*SIGHUP")).isOne();
		}
	}

	@Test
	void workersExitWithinFiveSecondsWhenThePrimaryIsKilled() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("shutdown-sigkill", "--cluster.workers=2")) {
			cluster.awaitReady(2);
			List<Long> workers = cluster.workerPids();
			cluster.process().toHandle().destroyForcibly();
			cluster.awaitExit(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> workers.stream().noneMatch(ClusterProcess::isAlive));
		}
	}

}
