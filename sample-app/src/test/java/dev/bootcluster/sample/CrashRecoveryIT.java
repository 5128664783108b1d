package dev.bootcluster.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker killed with SIGKILL is taken out of rotation at once and replaced, with a
 * restart delay that doubles while it keeps dying. Serving workers, the replacement once
 * ready too, run 5 nicer than the primary in every thread but the JIT compiler's
 * ({@code cluster.worker.serving-nice}'s default), so that a starting one comes first.
 */
class CrashRecoveryIT {

	@Test
	void killedWorkerIsReplacedAndNoNewConnectionFails() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.restart.initial-delay", "500ms")
			.start("crash-recovery")) {
			int port = cluster.awaitReady(2);
			long victim = cluster.state().readyPid(1);
			List<Load.Result> results;
			long deadAt;
			long replacement;
			try (Load load = Load.start(port, "/")) {
				load.awaitMore(50);
				kill(victim);
				deadAt = System.nanoTime();
				// The delay before the restart is told only in the log.
				cluster.awaitLine("\\(pid " + victim + "\\).*SIGKILL.*restarting it in 500 ms", Duration.ofSeconds(60));
				replacement = awaitReplacement(cluster, victim, 1).readyPid(1);
				await("requests reaching the replacement").atMost(Duration.ofSeconds(60))
					.until(() -> load.results().stream().anyMatch((result) -> result.pid() == replacement));
				results = load.results();
			}
			List<Load.Result> afterDeath = results.stream().filter((result) -> result.startedNanos() > deadAt).toList();
			assertThat(afterDeath).hasSizeGreaterThan(50);
			assertThat(afterDeath).as("requests on new connections after the worker died").allMatch(Load.Result::ok);
			assertThat(afterDeath).noneMatch((result) -> result.pid() == victim);
			int primaryNice = nice(Path.of("/proc", Long.toString(cluster.pid()), "stat"));
			for (long worker : List.of(replacement, cluster.state().readyPid(2))) {
				await("worker " + worker + " serving 5 nicer than the primary").atMost(Duration.ofSeconds(60))
					.ignoreExceptions()
					.until(() -> threadNices(worker), (nices) -> !nices.isEmpty()
							&& nices.stream().allMatch((nice) -> nice == Math.min(19, primaryNice + 5)));
			}

			// It dies again before reset-after (60 s): the delay doubles.
			kill(replacement);
			cluster.awaitLine("\\(pid " + replacement + "\\).*SIGKILL.*restarting it in 1.0 s", Duration.ofSeconds(60));
			awaitReplacement(cluster, replacement, 2);
		}
	}

	/** The nice value of each thread of the process but the JIT compiler's. */
	private static List<Integer> threadNices(long pid) throws IOException {
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			return tasks.filter(
					(task) -> !comm(task).startsWith("C1 CompilerThre") && !comm(task).startsWith("C2 CompilerThre"))
				.map((task) -> nice(task.resolve("stat")))
				.toList();
		}
	}

	private static String comm(Path task) {
		try {
			return Files.readString(task.resolve("comm"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The 19th field of a stat file, counted after the command name in parentheses. */
	private static int nice(Path stat) {
		try {
			String line = Files.readString(stat);
			return Integer.parseInt(line.substring(line.lastIndexOf(')') + 1).trim().split("\\s+")[16]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void kill(long pid) {
		ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
		worker.destroyForcibly();
		worker.onExit().orTimeout(30, TimeUnit.SECONDS).join();
	}

	/**
	 * Waits until slot 1 serves again with a worker other than {@code dead}, its
	 * {@code restarts}th.
	 */
	private static ClusterState awaitReplacement(ClusterProcess cluster, long dead, int restarts) {
		ClusterState state = cluster.awaitState("worker 1 replaced",
				(now) -> now.readyPid(1) > 0 && now.readyPid(1) != dead, ClusterProcess.READY_TIMEOUT);
		assertThat(state.workers(1)).singleElement().satisfies((worker) -> {
			assertThat(worker.restarts()).as("restarts of slot 1").isEqualTo(restarts);
			assertThat(worker.lastExit()).as("how its last worker ended")
				.isEqualTo(new ClusterState.Exit(137, "SIGKILL"));
		});
		return state;
	}

}
