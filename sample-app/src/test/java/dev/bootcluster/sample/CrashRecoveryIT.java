package dev.bootcluster.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker killed with SIGKILL is taken out of rotation at once and replaced, with a
 * restart delay that doubles while it keeps dying.
 */
class CrashRecoveryIT {

	@Test
	void killedWorkerIsReplacedAndNoNewConnectionFails() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("crash-recovery", "--cluster.workers=2",
				"--cluster.restart.initial-delay=500ms")) {
			int port = cluster.awaitReady(2);
			long victim = cluster.workerPids().get(0);
			List<Load.Result> results;
			long deadAt;
			try (Load load = Load.start(port, "/")) {
				await().atMost(Duration.ofSeconds(10)).until(() -> load.results().size() >= 50);
				ProcessHandle.of(victim).orElseThrow().destroyForcibly();
				ProcessHandle.of(victim).ifPresent((handle) -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
				deadAt = System.nanoTime();
				cluster.awaitLine("Worker 1 \\(pid " + victim
						+ "\\) was killed by signal 9 \\(SIGKILL\\); restarting it in 500 ms", Duration.ofSeconds(10));
				await().atMost(Duration.ofSeconds(60)).until(() -> cluster.workerPids().size() == 3
						&& cluster.countLines("Worker 1 \\(pid " + cluster.workerPids().get(2) + "\\) ready in") == 1);
				long replacement = cluster.workerPids().get(2);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> load.results().stream().anyMatch((result) -> result.pid() == replacement));
				results = load.results();
			}
			List<Load.Result> afterDeath = results.stream().filter((result) -> result.startedNanos() > deadAt).toList();
			assertThat(afterDeath).hasSizeGreaterThan(50);
			assertThat(afterDeath).as("requests on new connections after the worker died").allMatch(Load.Result::ok);
			assertThat(afterDeath).noneMatch((result) -> result.pid() == victim);

			// It dies again before reset-after (60 s): the delay doubles.
			long replacement = cluster.workerPids().get(2);
			ProcessHandle.of(replacement).orElseThrow().destroyForcibly();
			cluster.awaitLine("Worker 1 \\(pid " + replacement
					+ "\\) was killed by signal 9 \\(SIGKILL\\); restarting it in 1.0 s", Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(60)).until(() -> cluster.countLines("ready in") == 4);
		}
	}

}
