package dev.bootcluster.sample;

import java.io.IOException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary as a supervisor, on real processes: what it does when a worker hangs,
 * grows, ages, serves its quota, crash-loops or cannot boot, and when the operator scales
 * the cluster. State is read from {@code /actuator/cluster}; the log only where what it
 * tells the operator is the feature.
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
	void maxRequestsRecyclesWorkersWithoutAFailedRequest() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.worker.max-requests", "200")
			.property("cluster.worker.max-requests-jitter", "20")
			.start("max-requests")) {
			int port = cluster.awaitReady(2);
			Set<Long> first = cluster.state().pids("READY");
			List<Load.Result> results;
			try (Load load = Load.requests(port, "/", 2000)) {
				load.awaitEnd(Duration.ofMinutes(10));
				results = load.results();
			}
			assertThat(results).hasSize(2000).allMatch(Load.Result::ok);
			// Why a worker was replaced is what the operator reads in the log.
			assertThat(
					cluster.countLines("Recycling Worker \\d .*served 2\\d\\d requests.*cluster.worker.max-requests"))
				.isGreaterThanOrEqualTo(1);
			ClusterState state = cluster.awaitState("recycled workers ready",
					(now) -> now.states().equals(List.of("1:READY", "2:READY")) && !now.pids("READY").equals(first),
					READY);
			Set<Long> served = new HashSet<>();
			for (int i = 0; i < 20; i++) {
				served.add(Http.get(port, "/").pid());
			}
			assertThat(served).as("workers serving now").isNotEqualTo(first).isSubsetOf(cluster.state().pids("READY"));
			assertThat(state.workers())
				.allSatisfy((worker) -> assertThat(worker.restarts()).as("a recycle is no crash").isZero());
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			cluster.worker.max-memory=1MB    | resident memory.* above cluster.worker.max-memory
			cluster.worker.max-lifetime=6s   | cluster.worker.max-lifetime
			""")
	void aWorkerPastItsLimitIsReplacedGracefully(String limit, String reason) throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(1)
			.property("cluster.worker.check-interval", "1s")
			.arguments("--" + limit)
			.start("limit-" + limit.replaceAll("\\W", "_"))) {
			int port = cluster.awaitReady(1);
			long old = cluster.state().readyPid(1);
			List<Load.Result> results;
			try (Load load = Load.start(port, "/")) {
				cluster.awaitLine("Recycling Worker 1 \\(pid " + old + "\\).*" + reason, Duration.ofSeconds(60));
				// With 1 MB every new worker is past the limit too: it is replaced in its
				// turn.
				cluster.awaitState("worker 1 replaced",
						(state) -> state.workers(1)
							.stream()
							.anyMatch((worker) -> worker.ready() && worker.pid() != old),
						READY);
				await("the old worker gone").atMost(Duration.ofSeconds(60)).until(() -> !ClusterProcess.isAlive(old));
				load.awaitMore(20);
				results = load.results();
			}
			assertThat(results).as("requests to a one-worker cluster while its worker was replaced")
				.allMatch(Load.Result::ok);
			assertThat(results.stream().map(Load.Result::pid).distinct().count()).isGreaterThanOrEqualTo(2);
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

	@Test
	void withoutAHeapOptionEachOfNWorkersGetsItsShareOfTheMachine() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.jvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
			.workers(2)
			.property("cluster.worker.heartbeat-interval", "1s")
			.property("cluster.worker.check-interval", "1s")
			.start("heap-share")) {
			cluster.awaitReady(2);
			long memTotal = memTotalBytes();
			for (long pid : cluster.state().pids("READY")) {
				assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
					.contains("-XX:MaxRAMPercentage=37.5");
			}
			ClusterState state = cluster.awaitState("heap and memory reported by both workers",
					(now) -> now.workers()
						.stream()
						.filter((worker) -> worker.heapUsed() > 0 && worker.residentMemory() > 0)
						.count() == 2,
					Duration.ofSeconds(60));
			assertThat(state.workers()).hasSize(2)
				.allSatisfy((worker) -> assertThat(worker.heapMax()).as("heap max")
					.isPositive()
					.isLessThanOrEqualTo((long) (memTotal * 0.376)));
		}
	}

	@Test
	void aHeapSetInTheEnvironmentIsLeftAlone() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.jvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
			.env("JAVA_TOOL_OPTIONS", "-Xmx200m")
			.workers(2)
			.property("cluster.worker.heartbeat-interval", "1s")
			.start("heap-from-environment")) {
			cluster.awaitReady(2);
			for (long pid : cluster.state().pids("READY")) {
				assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
					.doesNotContain("MaxRAMPercentage");
			}
			ClusterState state = cluster.awaitState("heap reported by both workers",
					(now) -> now.workers().stream().filter((worker) -> worker.heapMax() > 0).count() == 2,
					Duration.ofSeconds(60));
			// -Xmx200m less a survivor space, as Runtime.maxMemory() reports it
			assertThat(state.workers()).hasSize(2)
				.allSatisfy((worker) -> assertThat(worker.heapMax()).isBetween(180_000_000L, 200L * 1024 * 1024));
		}
	}

	/** Waits until the endpoint shows exactly these "id:STATE" entries. */
	private static ClusterState awaitWorkers(ClusterProcess cluster, String... states) {
		return cluster.awaitState("workers " + List.of(states), (state) -> state.states().equals(List.of(states)),
				READY);
	}

	private static long memTotalBytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			if (line.startsWith("MemTotal:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		throw new IllegalStateException("No MemTotal in /proc/meminfo");
	}

}
