package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's run-once job ({@code @ClusterSingleton}, every 500 ms) across 3 workers:
 * one worker at a time appends its line; when that worker is killed with SIGKILL another
 * takes over within one period plus the heartbeat timeout, and the other workers hear of
 * the death (a {@code WorkerExited} event); after a rolling reload the ticks go on, from
 * a worker of the new generation.
 */
class RunOnceJobsIT {

	private static final Duration PERIOD = Duration.ofMillis(500);

	private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);

	/** Runs seen after each step before the next: a few ticks. */
	private static final int TICKS = 6;

	@Test
	void oneWorkerAtATimeRunsTheJobThroughAKillAndAReload(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("runs.txt");
		try (ClusterProcess cluster = Sample.command()
			.workers(3)
			.property("sample.jobs.file", file.toString())
			.property("cluster.worker.heartbeat-interval", "1s")
			.property("cluster.worker.heartbeat-timeout", HEARTBEAT_TIMEOUT.toSeconds() + "s")
			.start("run-once-jobs")) {
			int port = cluster.awaitReady(3);
			List<Run> first = awaitRuns(file, (runs) -> runs.size() >= TICKS);
			long owner = first.get(0).pid();
			assertThat(first).as("runs before the kill").allMatch((run) -> run.pid() == owner);
			assertThat(Http.get(port, "/jobs/last-run").<Number>json("$.pid").longValue()).isEqualTo(owner);

			kill(owner);
			long killedAt = System.currentTimeMillis();
			List<Run> afterKill = awaitRuns(file,
					(runs) -> runs.stream().filter((run) -> run.at() > killedAt).count() >= TICKS);
			Run takeover = afterKill.stream().filter((run) -> run.at() > killedAt).findFirst().orElseThrow();
			assertThat(takeover.pid()).isNotEqualTo(owner);
			assertThat(takeover.at() - killedAt).as("ms from the kill to the next run")
				.isLessThan(PERIOD.plus(HEARTBEAT_TIMEOUT).toMillis());

			String death = ", pid=" + owner + ", exitCode=137, signal=SIGKILL]";
			await("a worker that saw the death").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.ignoreExceptions()
				.until(() -> Http.get(port, "/cluster/events").body().contains(death));

			cluster.awaitState("3 workers ready after the kill",
					(state) -> state.pids("READY").size() == 3 && !state.pids("READY").contains(owner),
					ClusterProcess.READY_TIMEOUT);
			Http.Response accepted = Http.postAsAdmin(port, "/actuator/cluster/reload");
			assertThat(accepted.status()).isEqualTo(202);
			String id = accepted.json("$.reload");
			assertThat(cluster.awaitReloadEnd(id, ClusterProcess.READY_TIMEOUT.multipliedBy(3)).state())
				.isEqualTo("SUCCEEDED");
			Set<Long> reloaded = cluster.state().pids("READY");
			List<Run> all = awaitRuns(file,
					(runs) -> runs.stream().filter((run) -> reloaded.contains(run.pid())).count() >= TICKS);

			assertOneWorkerAtATime(all);
		}
	}

	/**
	 * Each worker's runs are one unbroken stretch of the file (no worker runs the job
	 * again once another has), and within a stretch runs are a period apart: no tick ran
	 * twice.
	 */
	private static void assertOneWorkerAtATime(List<Run> runs) {
		List<Long> owners = new ArrayList<>();
		for (int i = 0; i < runs.size(); i++) {
			Run run = runs.get(i);
			if (i == 0 || runs.get(i - 1).pid() != run.pid()) {
				assertThat(owners).as("owners so far, then pid " + run.pid() + " again").doesNotContain(run.pid());
				owners.add(run.pid());
			}
			else {
				assertThat(run.at() - runs.get(i - 1).at()).as("ms between two runs of pid " + run.pid())
					.isGreaterThanOrEqualTo(PERIOD.toMillis() - 50);
			}
		}
		assertThat(owners).as("owners, in turn").hasSizeGreaterThanOrEqualTo(3);
	}

	private static List<Run> awaitRuns(Path file, Predicate<List<Run>> condition) {
		return await("runs in " + file).atMost(ClusterProcess.READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> runs(file), condition);
	}

	private static List<Run> runs(Path file) throws IOException {
		if (!Files.exists(file)) {
			return List.of();
		}
		// The last line may be half written.
		return Files.readAllLines(file).stream().filter((line) -> line.split(" ").length == 3).map(Run::parse).toList();
	}

	private static void kill(long pid) {
		ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
		worker.destroyForcibly();
		worker.onExit().orTimeout(30, TimeUnit.SECONDS).join();
	}

	/** One line of the job's file: worker id, pid, time in milliseconds. */
	private record Run(String worker, long pid, long at) {

		static Run parse(String line) {
			String[] fields = line.split(" ");
			return new Run(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]));
		}

	}

}
