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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary recycling workers, on real processes: a worker that grows, ages or serves
 * its quota is replaced gracefully, and each worker's heap is sized for its share of the
 * machine. State is read from {@code /actuator/cluster}; the log only where what it tells
 * the operator is the feature.
 */
class RecyclingIT {

	private static final Duration READY = ClusterProcess.READY_TIMEOUT;

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
					.contains("-XX:MaxRAMPercentage=12.5");
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
					.isLessThanOrEqualTo((long) (memTotal * 0.126)));
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

	private static long memTotalBytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			if (line.startsWith("MemTotal:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		throw new IllegalStateException("No MemTotal in /proc/meminfo");
	}

}
