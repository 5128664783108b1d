package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM and SIGINT stop the cluster gracefully with exit code 0; SIGKILL of the primary
 * leaves no worker behind (they exit within seconds, as the README says; the test prints
 * how long it took and allows a slow machine far more); a signal ignored from the start
 * is said so.
 */
class ShutdownIT {

	@Test
	void sigtermLetsInFlightRequestsFinishAndExitsZero() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("shutdown-sigterm")) {
			int port = cluster.awaitReady(2);
			Set<Long> workers = cluster.state().pids("READY");
			CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> {
				try {
					return Http.get(port, "/slow?ms=2000");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			// The sample app's own word that the slow request is in a worker now.
			cluster.awaitLine("Slow request started", Duration.ofSeconds(60));
			cluster.process().toHandle().destroy(); // SIGTERM; Process.destroy() would
													// also close our end of its output

			Http.Response response = slow.get(60, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(workers).contains(response.pid());
			assertThat(cluster.awaitExit(Duration.ofSeconds(90))).isZero();
			assertThat(workers).noneMatch(ClusterProcess::isAlive);
			assertThat(cluster.output()).as("why it stopped").containsPattern("Stopping the cluster.*SIGTERM");
		}
	}

	@Test
	void sigintStopsTheClusterWithExitZero() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("shutdown-sigint")) {
			cluster.awaitReady(2);
			Set<Long> workers = cluster.state().pids("READY");
			ClusterProcess.signal(cluster.pid(), "INT");
			assertThat(cluster.awaitExit(Duration.ofSeconds(90))).isZero();
			assertThat(workers).noneMatch(ClusterProcess::isAlive);
			assertThat(cluster.output()).as("why it stopped").containsPattern("Stopping the cluster.*SIGINT");
		}
	}

	@Test
	void aPrimaryStartedWithSighupIgnoredSaysSoAndNamesTheEndpoint() throws Exception {
		List<String> command = new ArrayList<>(List.of("env", "--ignore-signal=HUP"));
		command.addAll(Sample.command().workers(1).command());
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
	void workersExitByThemselvesWhenThePrimaryIsKilledAndTheNextPrimaryRemovesItsDirectory(@TempDir Path tmp)
			throws Exception {
		// A temporary directory of their own: a primary of another test running at the
		// same time would remove the runtime directory left behind, before the check.
		List<String> jvmOptions = new ArrayList<>(ClusterProcess.JVM_OPTIONS);
		jvmOptions.add("-Djava.io.tmpdir=" + tmp);
		String[] options = jvmOptions.toArray(String[]::new);
		Path runtimeDirectory;
		try (ClusterProcess cluster = Sample.command().jvmOptions(options).workers(2).start("shutdown-sigkill")) {
			cluster.awaitReady(2);
			Set<Long> workers = cluster.state().pids("READY");
			runtimeDirectory = controlSocket(workers.iterator().next()).getParent();
			cluster.process().toHandle().destroyForcibly();
			cluster.awaitExit(Duration.ofSeconds(10));
			long killedAt = System.nanoTime();
			await("no orphan worker").atMost(Duration.ofSeconds(60))
				.until(() -> workers.stream().noneMatch(ClusterProcess::isAlive));
			System.out.printf("workers gone %.1f s after the primary was killed%n",
					(System.nanoTime() - killedAt) / 1e9);
		}
		assertThat(runtimeDirectory).as("left behind by a primary killed with SIGKILL").isDirectory();
		try (ClusterProcess next = Sample.command().jvmOptions(options).workers(1).start("shutdown-next-primary")) {
			next.awaitReady(1);
			assertThat(runtimeDirectory).as("removed by the next primary as it started").doesNotExist();
		}
	}

	/** The primary's control socket, as a worker was told it. */
	private static Path controlSocket(long worker) throws IOException {
		String environment = Files.readString(Path.of("/proc", Long.toString(worker), "environ"));
		return Arrays.stream(environment.split("\0"))
			.filter((variable) -> variable.startsWith("CLUSTER_CHANNEL="))
			.map((variable) -> Path.of(variable.substring("CLUSTER_CHANNEL=".length())))
			.findFirst()
			.orElseThrow();
	}

}
