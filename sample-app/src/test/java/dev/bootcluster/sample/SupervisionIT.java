package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary as a supervisor, on real processes: what it does when a worker hangs,
 * crash-loops or cannot boot, when the primary itself was paused, and when the operator
 * scales the cluster ({@link RecyclingIT} has workers that grow, age or serve their
 * quota). State is read from {@code /actuator/cluster}; the log only where what it tells
 * the operator is the feature.
 */
class SupervisionIT {

	private static final Duration READY = ClusterProcess.READY_TIMEOUT;

	@Test
	void aHungWorkerIsDumpedAndReplacedAndNoClientSeesAConnectError() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.worker.heartbeat-interval", "1s")
			.property("cluster.worker.heartbeat-timeout", "3s")
			.property("cluster.worker.shutdown-timeout", "2s")
			.start("hung")) {
			int port = cluster.awaitReady(2);
			long hung = cluster.state().readyPid(1);
			List<Load.Result> results;
			long detectedAt;
			try (Load load = Load.start(port, "/")) {
				load.awaitMore(20);
				long stoppedAt = System.nanoTime();
				ClusterProcess.signal(hung, "STOP");
				// What the operator is told, and where the dump went: the WARN is the
				// feature.
				cluster.awaitLine("WARN .*\\(pid " + hung + "\\).* hung.* thread dump", Duration.ofSeconds(60));
				detectedAt = System.nanoTime();
				System.out.printf("hung worker detected %.1f s after SIGSTOP%n", (detectedAt - stoppedAt) / 1e9);
				cluster.awaitState("worker 1 replaced and ready", (state) -> {
					long pid = state.readyPid(1);
					return pid > 0 && pid != hung;
				}, READY);
				System.out.printf("replacement ready %.1f s after SIGSTOP%n", (System.nanoTime() - stoppedAt) / 1e9);
				await("the hung worker killed").atMost(Duration.ofSeconds(60))
					.until(() -> !ClusterProcess.isAlive(hung));
				load.awaitMore(20);
				results = load.results();
			}
			ClusterState state = cluster.awaitState("slot 1: its replacement alone",
					(now) -> now.workers(1).size() == 1, Duration.ofSeconds(60));
			assertThat(state.workers(1).get(0).restarts()).as("restarts of slot 1").isEqualTo(1);
			assertThat(results).as("connect errors")
				.noneMatch((result) -> result.error() != null
						&& (result.error().contains("Connect") || result.error().contains("refused")));
			assertThat(results.stream().filter((result) -> result.startedNanos() > detectedAt))
				.as("requests once the hung worker was out of rotation")
				.isNotEmpty()
				.allMatch(Load.Result::ok);
			System.out.println("requests lost in the hung worker: "
					+ results.stream().filter((result) -> !result.ok()).count() + " of " + results.size());
		}
	}

	@Test
	void aPrimaryThatWasPausedKillsNoWorkerWhenItResumes() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.worker.heartbeat-interval", "1s")
			.property("cluster.worker.heartbeat-timeout", "3s")
			.start("paused-primary")) {
			int port = cluster.awaitReady(2);
			Set<Long> workers = cluster.state().pids("READY");
			long stoppedAt = System.nanoTime();
			ClusterProcess.signal(cluster.pid(), "STOP");
			try {
				// The pause itself is the condition: longer than the heartbeat timeout
				// and then some.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> System.nanoTime() - stoppedAt > Duration.ofSeconds(6).toNanos());
			}
			finally {
				ClusterProcess.signal(cluster.pid(), "CONT");
			}
			// Logged on the loop's first turn after the pause, where a hung worker would
			// be found.
			cluster.awaitLine("paused for about", Duration.ofSeconds(60));
			ClusterState resumed = cluster.state();
			Set<Long> served = new HashSet<>();
			await("both workers serving").atMost(Duration.ofSeconds(60)).until(() -> {
				served.add(Http.get(port, "/").pid());
				return served.size() == 2;
			});
			assertThat(served).isEqualTo(workers);
			// A heartbeat from each worker counting the requests just served: time enough
			// for a wrong verdict.
			ClusterState state = cluster
				.awaitState(
						"heartbeats after the pause", (
								now) -> resumed.workers()
									.stream()
									.allMatch(
											(before) -> now.workers()
												.stream()
												.anyMatch((worker) -> worker.pid() == before.pid()
														&& worker.requests() > before.requests())),
						Duration.ofSeconds(60));
			assertThat(state.states()).containsExactly("1:READY", "2:READY");
			assertThat(state.pids("READY")).as("workers after the pause").isEqualTo(workers);
			assertThat(state.workers()).allSatisfy((worker) -> assertThat(worker.restarts()).isZero());
		}
	}

	@Test
	void aCrashLoopMarksTheSlotFailedAndTheRestKeepServing() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.restart.max-restarts", "2")
			.property("cluster.restart.window", "5m")
			.property("management.endpoint.health.show-details", "always")
			.start("crash-loop")) {
			int port = cluster.awaitReady(2);
			for (int kill = 1; kill <= 3; kill++) {
				long victim = cluster.state().readyPid(2);
				ClusterProcess.signal(victim, "KILL");
				if (kill < 3) {
					int restarts = kill;
					cluster.awaitState(
							"worker 2 restarted " + kill + " time(s)", (state) -> state.readyPid(2) > 0
									&& state.readyPid(2) != victim && state.workers(2).get(0).restarts() == restarts,
							READY);
				}
			}
			// A slot given up on is an ERROR the operator must see.
			cluster.awaitLine("ERROR .*Worker 2 .*cluster.restart.max-restarts.* FAILED", Duration.ofSeconds(60));
			ClusterState state = cluster.awaitState("slot 2 FAILED",
					(now) -> now.states().equals(List.of("1:READY", "2:FAILED")), Duration.ofSeconds(60));
			ClusterState.Worker failed = state.workers(2).get(0);
			assertThat(failed.restarts()).isEqualTo(3);
			assertThat(failed.lastExit()).isEqualTo(new ClusterState.Exit(137, "SIGKILL"));
			Http.Response health = Http.get(port, "/actuator/health");
			assertThat(health.<Integer>json("$.components.cluster.details.failed")).isEqualTo(1);
			for (int i = 0; i < 10; i++) {
				assertThat(Http.get(port, "/").worker()).isEqualTo("1");
			}
			assertThat(Http.postAsAdmin(port, "/actuator/cluster/workers/2/restart").status()).isEqualTo(202);
			cluster.awaitState("slot 2 back", (now) -> now.states().equals(List.of("1:READY", "2:READY")), READY);
		}
	}

	@Test
	void whenEverySlotCrashLoopsThePrimaryStopsWithExitCode4() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(1)
			.property("cluster.restart.max-restarts", "1")
			.start("all-crash-loop")) {
			cluster.awaitReady(1);
			long first = cluster.state().readyPid(1);
			ClusterProcess.signal(first, "KILL");
			long second = cluster
				.awaitState("worker 1 restarted", (state) -> state.readyPid(1) > 0 && state.readyPid(1) != first, READY)
				.readyPid(1);
			ClusterProcess.signal(second, "KILL");
			assertThat(cluster.awaitExit(Duration.ofSeconds(60))).as("the primary's exit code").isEqualTo(4);
			assertThat(cluster.output()).as("why it stopped").contains("every worker slot is FAILED");
		}
	}

	@Test
	void aWorkerThatCannotBootIsNotRestartedInALoopAndThePrimarySaysSo(@TempDir Path directory) throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.restart.initial-delay", "100ms")
			.directory(directory)
			.start("cannot-boot-on-restart")) {
			int port = cluster.awaitReady(2);
			long worker1 = cluster.state().readyPid(1);
			// From now on a new worker reads this and cannot boot: a bad deploy, say.
			Files.createDirectories(directory.resolve("config"));
			Files.writeString(directory.resolve("config/application.properties"), "sample.fail-on-start=true\n");
			ClusterProcess.signal(cluster.state().readyPid(2), "KILL");
			// The app's own cause, at ERROR, is what the operator needs.
			cluster.awaitLine("ERROR .*Worker 2 cannot boot: .*sample.fail-on-start is true", READY);
			ClusterState state = cluster.awaitState("slot 2 FAILED",
					(now) -> now.states().equals(List.of("1:READY", "2:FAILED")), Duration.ofSeconds(60));
			ClusterState.Worker failed = state.workers(2).get(0);
			assertThat(failed.lastExit().code()).as("exit code of the worker that cannot boot").isEqualTo(3);
			for (int i = 0; i < 10; i++) {
				assertThat(Http.get(port, "/").status()).isEqualTo(200);
			}
			assertThat(cluster.state().states()).as("still, after a while").containsExactly("1:READY", "2:FAILED");
			ClusterProcess.signal(worker1, "KILL");
			assertThat(cluster.awaitExit(Duration.ofSeconds(120))).as("the primary's exit code").isEqualTo(3);
			assertThat(cluster.output()).as("why it stopped").contains("every worker slot is FAILED");
			// The endpoint is gone with the primary: its record of starts is its log.
			assertThat(cluster.countLines("Starting Worker 1 ")).as("starts of worker 1").isEqualTo(2);
			assertThat(cluster.countLines("Starting Worker 2 ")).as("starts of worker 2, in the end").isEqualTo(2);
		}
	}

	@Test
	void scalingUpAndDownByEndpointAndSignalsConvergesWithoutAFailedRequest() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).property("cluster.max-workers", "3").start("scale")) {
			int port = cluster.awaitReady(2);
			List<Load.Result> results;
			try (Load load = Load.start(port, "/")) {
				Http.Response up = Http.postJsonAsAdmin(port, "/actuator/cluster/scale", "{\"workers\": 3}");
				assertThat(up.status()).isEqualTo(202);
				awaitWorkers(cluster, "1:READY", "2:READY", "3:READY");
				Http.Response tooMany = Http.postJsonAsAdmin(port, "/actuator/cluster/scale", "{\"workers\": 4}");
				assertThat(tooMany.status()).isEqualTo(400);
				assertThat(tooMany.<String>json("$.message")).contains("1 to 3").contains("cluster.max-workers");
				assertThat(Http.postJsonAsAdmin(port, "/actuator/cluster/scale", "{\"workers\": 0}").status())
					.isEqualTo(400);
				assertThat(cluster.state().desiredWorkers()).isEqualTo(3);
				ClusterProcess.signal(cluster.pid(), "TTOU");
				awaitWorkers(cluster, "1:READY", "2:READY");
				ClusterProcess.signal(cluster.pid(), "TTOU");
				awaitWorkers(cluster, "1:READY");
				ClusterProcess.signal(cluster.pid(), "TTIN");
				assertThat(awaitWorkers(cluster, "1:READY", "2:READY").desiredWorkers()).isEqualTo(2);
				load.awaitMore(20);
				results = load.results();
			}
			assertThat(results).isNotEmpty().allMatch(Load.Result::ok);
		}
	}

	/** Waits until the endpoint shows exactly these "id:STATE" entries. */
	private static ClusterState awaitWorkers(ClusterProcess cluster, String... states) {
		return cluster.awaitState("workers " + List.of(states), (state) -> state.states().equals(List.of(states)),
				READY);
	}

}
