package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary as a supervisor, on real processes: what it does when a worker hangs,
 * grows, ages, serves its quota, crash-loops or cannot boot, and when the operator
 * scales the cluster.
 */
class SupervisionIT {

	/** One worker in {@code GET /actuator/cluster}: id, pid, state. */
	private static final Pattern WORKER = Pattern.compile("\\{\"id\":(\\d+),\"pid\":(\\d+),\"state\":\"(\\w+)\"");

	private static final Pattern HEAP = Pattern
		.compile("\"pid\":(\\d+),\"state\":\"READY\"[^{}]*\"heapUsed\":(\\d+),\"heapMax\":(\\d+),\"residentMemory\":(\\d+)");

	@Test
	void aHungWorkerIsDumpedAndReplacedAndNoClientSeesAConnectError() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("hung", "--cluster.workers=2",
				"--cluster.worker.heartbeat-interval=1s", "--cluster.worker.heartbeat-timeout=3s",
				"--cluster.worker.shutdown-timeout=2s")) {
			int port = cluster.awaitReady(2);
			long hung = cluster.workerPid(1);
			List<Load.Result> results;
			long detectedAt;
			try (Load load = Load.start(port, "/")) {
				await().atMost(Duration.ofSeconds(30)).until(() -> load.results().size() >= 20);
				long stoppedAt = System.nanoTime();
				ClusterProcess.signal(hung, "STOP");
				cluster.awaitLine("\\(pid " + hung + "\\) sent no heartbeat for .*it is hung. Asked it for a thread dump",
						Duration.ofSeconds(3 + 5));
				detectedAt = System.nanoTime();
				cluster.awaitLine("Starting Worker 1 \\(pid (?!" + hung + "\\))", Duration.ofSeconds(3 + 5));
				System.out.printf("hung worker detected and its replacement started %.1f s after SIGSTOP%n",
						(System.nanoTime() - stoppedAt) / 1e9);
				await().atMost(Duration.ofSeconds(60)).until(() -> cluster.readyPids().size() >= 3);
				System.out.printf("replacement ready %.1f s after SIGSTOP%n", (System.nanoTime() - stoppedAt) / 1e9);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> !ClusterProcess.isAlive(hung));
				load.awaitMore(20);
				results = load.results();
			}
			assertThat(results).as("connect errors").noneMatch((result) -> result.error() != null
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
		try (ClusterProcess cluster = ClusterProcess.sample("paused-primary", "--cluster.workers=2",
				"--cluster.worker.heartbeat-interval=1s", "--cluster.worker.heartbeat-timeout=3s")) {
			int port = cluster.awaitReady(2);
			List<Long> workers = cluster.workerPids();
			long stoppedAt = System.nanoTime();
			ClusterProcess.signal(cluster.pid(), "STOP");
			try {
				// The pause itself is the condition: longer than the heartbeat timeout and then some.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> System.nanoTime() - stoppedAt > Duration.ofSeconds(6).toNanos());
			}
			finally {
				ClusterProcess.signal(cluster.pid(), "CONT");
			}
			cluster.awaitLine("The primary was paused for about \\d+.\\d s; workers get a fresh heartbeat timeout",
					Duration.ofSeconds(10));
			Set<Long> served = new HashSet<>();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				served.add(Http.get(port, "/").pid());
				return served.size() == 2;
			});
			assertThat(served).containsExactlyInAnyOrderElementsOf(workers);
			assertThat(cluster.output()).doesNotContain("it is hung");
			assertThat(cluster.workerPids()).as("workers started").isEqualTo(workers);
		}
	}

	@Test
	void maxRequestsRecyclesWorkersWithoutAFailedRequest() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("max-requests", "--cluster.workers=2",
				"--cluster.worker.max-requests=200", "--cluster.worker.max-requests-jitter=20")) {
			int port = cluster.awaitReady(2);
			List<Long> first = cluster.workerPids();
			List<Load.Result> results;
			try (Load load = Load.start(port, "/", Duration.ofSeconds(120), 2000)) {
				load.awaitEnd(Duration.ofSeconds(130));
				results = load.results();
			}
			assertThat(results).hasSize(2000).allMatch(Load.Result::ok);
			assertThat(cluster.countLines("Recycling Worker \\d \\(pid \\d+\\): served 2\\d\\d requests "
					+ "\\(cluster.worker.max-requests\\)")).isGreaterThanOrEqualTo(1);
			await().atMost(Duration.ofSeconds(60)).until(() -> cluster.readyPids().size() >= 3);
			Set<Long> served = new HashSet<>();
			for (int i = 0; i < 20; i++) {
				served.add(Http.get(port, "/").pid());
			}
			assertThat(served).as("workers serving now").isNotEqualTo(Set.copyOf(first));
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			cluster.worker.max-memory=1MB    | resident memory, \\d+ MB, is above cluster.worker.max-memory \\(1 MB\\)
			cluster.worker.max-lifetime=6s   | it has served \\d+.\\d s \\(cluster.worker.max-lifetime\\)
			""")
	void aWorkerPastItsLimitIsReplacedGracefully(String limit, String reason) throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("limit-" + limit.replaceAll("\\W", "_"),
				"--cluster.workers=1", "--cluster.worker.check-interval=1s", "--" + limit)) {
			int port = cluster.awaitReady(1);
			long old = cluster.workerPid(1);
			List<Load.Result> results;
			try (Load load = Load.start(port, "/")) {
				cluster.awaitLine("Recycling Worker 1 \\(pid " + old + "\\): .*" + reason, Duration.ofSeconds(30));
				await().atMost(Duration.ofSeconds(60))
					.until(() -> !ClusterProcess.isAlive(old));
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
		try (ClusterProcess cluster = ClusterProcess.sample("crash-loop", "--cluster.workers=2",
				"--cluster.restart.max-restarts=2", "--cluster.restart.window=5m",
				"--management.endpoint.health.show-details=always")) {
			int port = cluster.awaitReady(2);
			for (int kill = 1; kill <= 3; kill++) {
				int readyBefore = cluster.readyPids().size();
				ClusterProcess.signal(cluster.workerPid(2), "KILL");
				if (kill < 3) {
					await().atMost(Duration.ofSeconds(60)).until(() -> cluster.readyPids().size() > readyBefore);
				}
			}
			cluster.awaitLine("ERROR .*Worker 2 needed 3 restarts within 5.0 min \\(cluster.restart.max-restarts is 2 "
					+ "within cluster.restart.window\\).* Its slot is FAILED", Duration.ofSeconds(10));
			assertThat(states(port)).containsExactly("1:READY", "2:FAILED");
			Http.Response health = Http.get(port, "/actuator/health");
			assertThat(health.body()).contains("\"failed\":1");
			for (int i = 0; i < 10; i++) {
				assertThat(Http.get(port, "/").worker()).isEqualTo("1");
			}
			assertThat(Http.postAsAdmin(port, "/actuator/cluster/workers/2/restart").status()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(60)).until(() -> states(port).equals(List.of("1:READY", "2:READY")));
		}
	}

	@Test
	void whenEverySlotCrashLoopsThePrimaryStopsWithExitCode4() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("all-crash-loop", "--cluster.workers=1",
				"--cluster.restart.max-restarts=1")) {
			cluster.awaitReady(1);
			ClusterProcess.signal(cluster.workerPid(1), "KILL");
			await().atMost(Duration.ofSeconds(60)).until(() -> cluster.readyPids().size() == 2);
			ClusterProcess.signal(cluster.workerPid(1), "KILL");
			assertThat(cluster.awaitExit(Duration.ofSeconds(30))).as("the primary's exit code").isEqualTo(4);
			assertThat(cluster.output()).contains("Stopping the cluster (every worker slot is FAILED)");
		}
	}

	@Test
	void aWorkerThatCannotBootIsNotRestartedInALoopAndThePrimarySaysSo(@TempDir Path directory) throws Exception {
		List<String> command = new ArrayList<>(ClusterProcess.java());
		command.addAll(ClusterProcess.JVM_OPTIONS);
		command.addAll(List.of("-jar", ClusterProcess.SAMPLE_JAR.toAbsolutePath().toString(), "--server.port=0",
				"--cluster.workers=2", "--cluster.restart.initial-delay=100ms"));
		try (ClusterProcess cluster = ClusterProcess.start("cannot-boot-on-restart", command, directory)) {
			int port = cluster.awaitReady(2);
			// From now on a new worker reads this and cannot boot: a bad deploy, say.
			Files.createDirectories(directory.resolve("config"));
			Files.writeString(directory.resolve("config/application.properties"), "sample.fail-on-start=true\n");
			ClusterProcess.signal(cluster.workerPid(2), "KILL");
			cluster.awaitLine("ERROR .*Worker 2 cannot boot: java.lang.IllegalStateException: sample.fail-on-start is "
					+ "true.* Its slot is FAILED and not restarted", Duration.ofSeconds(60));
			assertThat(cluster.countLines("Starting Worker 2 ")).as("starts of worker 2").isEqualTo(2);
			assertThat(states(port)).containsExactly("1:READY", "2:FAILED");
			for (int i = 0; i < 10; i++) {
				assertThat(Http.get(port, "/").status()).isEqualTo(200);
			}
			ClusterProcess.signal(cluster.workerPid(1), "KILL");
			assertThat(cluster.awaitExit(Duration.ofSeconds(60))).as("the primary's exit code").isEqualTo(3);
			assertThat(cluster.output()).contains("Stopping the cluster (every worker slot is FAILED)");
			assertThat(cluster.countLines("Starting Worker 1 ")).as("starts of worker 1").isEqualTo(2);
			assertThat(cluster.countLines("Starting Worker 2 ")).as("starts of worker 2, in the end").isEqualTo(2);
		}
	}

	@Test
	void scalingUpAndDownByEndpointAndSignalsConvergesWithoutAFailedRequest() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("scale", "--cluster.workers=2",
				"--cluster.max-workers=3")) {
			int port = cluster.awaitReady(2);
			List<Load.Result> results;
			try (Load load = Load.start(port, "/", Duration.ofSeconds(150))) {
				Http.Response up = Http.postJsonAsAdmin(port, "/actuator/cluster/scale", "{\"workers\": 3}");
				assertThat(up.status()).isEqualTo(202);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> states(port).equals(List.of("1:READY", "2:READY", "3:READY")));
				Http.Response tooMany = Http.postJsonAsAdmin(port, "/actuator/cluster/scale", "{\"workers\": 4}");
				assertThat(tooMany.status()).isEqualTo(400);
				assertThat(tooMany.body()).contains("Cannot scale to 4 workers: choose from 1 to 3 (cluster.max-workers)");
				assertThat(Http.postJsonAsAdmin(port, "/actuator/cluster/scale", "{\"workers\": 0}").status())
					.isEqualTo(400);
				ClusterProcess.signal(cluster.pid(), "TTOU");
				await().atMost(Duration.ofSeconds(60)).until(() -> states(port).equals(List.of("1:READY", "2:READY")));
				ClusterProcess.signal(cluster.pid(), "TTOU");
				await().atMost(Duration.ofSeconds(60)).until(() -> states(port).equals(List.of("1:READY")));
				ClusterProcess.signal(cluster.pid(), "TTIN");
				await().atMost(Duration.ofSeconds(60)).until(() -> states(port).equals(List.of("1:READY", "2:READY")));
				load.awaitMore(20);
				results = load.results();
			}
			assertThat(results).isNotEmpty().allMatch(Load.Result::ok);
			assertThat(cluster.output()).contains("Scaling from 2 to 3 worker(s) (POST /actuator/cluster/scale)")
				.contains("Scaling from 3 to 2 worker(s) (SIGTTOU)")
				.contains("Scaling from 1 to 2 worker(s) (SIGTTIN)");
		}
	}

	@Test
	void withoutAHeapOptionEachOfNWorkersGetsItsShareOfTheMachine() throws Exception {
		List<String> command = new ArrayList<>(ClusterProcess.java());
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
				ClusterProcess.SAMPLE_JAR.toAbsolutePath().toString(), "--server.port=0", "--cluster.workers=2",
				"--cluster.worker.heartbeat-interval=1s", "--cluster.worker.check-interval=1s"));
		try (ClusterProcess cluster = ClusterProcess.start("heap-share", command, null)) {
			int port = cluster.awaitReady(2);
			long memTotal = memTotalBytes();
			for (long pid : cluster.workerPids()) {
				assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
					.contains("-XX:MaxRAMPercentage=37.5");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> heaps(port).size() == 2);
			for (long[] heap : heaps(port)) {
				assertThat(heap[1]).as("heap used").isPositive();
				assertThat(heap[2]).as("heap max").isPositive().isLessThanOrEqualTo((long) (memTotal * 0.376));
				assertThat(heap[3]).as("resident memory").isPositive();
			}
		}
	}

	/** "id:STATE" of every worker entry the endpoint shows, in order. */
	private static List<String> states(int port) throws IOException {
		Matcher matcher = WORKER.matcher(Http.get(port, "/actuator/cluster").body());
		List<String> states = new ArrayList<>();
		while (matcher.find()) {
			states.add(matcher.group(1) + ":" + matcher.group(3));
		}
		return states;
	}

	/** pid, heap used, heap max, resident memory of every ready worker that has reported them. */
	private static List<long[]> heaps(int port) throws IOException {
		Matcher matcher = HEAP.matcher(Http.get(port, "/actuator/cluster").body());
		List<long[]> heaps = new ArrayList<>();
		while (matcher.find()) {
			long[] heap = { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
					Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)) };
			if (heap[1] > 0 && heap[3] > 0) {
				heaps.add(heap);
			}
		}
		return heaps;
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
