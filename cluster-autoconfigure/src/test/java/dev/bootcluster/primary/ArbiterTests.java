package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.channel.WorkerState;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.Reply;
import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.frontdoor.InternalHop;
import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import dev.bootcluster.frontdoor.SchedulingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the {@link Arbiter} with fake workers and a fake clock: no JVM is forked, no
 * thread sleeps; each {@link Arbiter#turn()} handles what was posted and converges.
 */
@ExtendWith(OutputCaptureExtension.class)
class ArbiterTests {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(7);

	private static final List<PublicPort> PORTS = List.of(new PublicPort(PortKind.SERVER, null, 8080));

	/** The endpoint's upgrade operation, as the application would map it. */
	private static final String ENDPOINT = "POST /actuator/cluster/upgrade";

	private final FakeClock clock = new FakeClock();

	private final FakeLauncher launcher = new FakeLauncher();

	private final FakeRotation rotation = new FakeRotation();

	private Arbiter arbiter;

	private int leaseRequests;

	// --- start-up and exit codes

	@Test
	void startsEveryWorkerAndRoutesThoseReady() {
		start(2);
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(this.rotation.routed).isEmpty();
		ready(worker(1));
		assertThat(this.rotation.routedIds()).containsExactly(1);
		ready(worker(2));
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
		assertThat(states()).containsExactly("READY", "READY");
	}

	@Test
	void aWorkerThatDiesBeforeAnyWasReadyStopsTheClusterWithCannotBoot(CapturedOutput output) {
		start(2);
		worker(1).exit(ClusterExitCode.APPLICATION_CANNOT_BOOT);
		turn();
		assertThat(this.arbiter.isStopping()).isTrue();
		assertThat(this.rotation.stoppedAccepting).isTrue();
		assertThat(worker(2).terminated).isTrue();
		worker(2).exit(143);
		turn();
		assertThat(this.arbiter.isFinished()).isTrue();
		assertThat(this.arbiter.exitCode()).isEqualTo(ClusterExitCode.APPLICATION_CANNOT_BOOT);
		assertThat(output).contains("No worker has ever become ready, so the cluster stops.");
	}

	@Test
	void aWorkerThatCannotBootAfterOthersWereReadyMarksItsSlotFailed() {
		start(2);
		ready(worker(1));
		worker(2).exit(ClusterExitCode.APPLICATION_CANNOT_BOOT);
		turn();
		this.clock.advance(Duration.ofMinutes(1));
		turn();
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(states()).containsExactly("READY", "FAILED");
		assertThat(this.arbiter.isStopping()).isFalse();
	}

	@Test
	void everySlotFailedStopsTheClusterWithExitCodeFour() {
		start(1, 1);
		ready(worker(1));
		crash(lastOf(1), 1);
		this.clock.advance(Duration.ofSeconds(2));
		turn();
		crash(lastOf(1), 1);
		assertThat(this.arbiter.isStopping()).isTrue();
		assertThat(this.arbiter.exitCode()).isEqualTo(ClusterExitCode.ALL_WORKERS_FAILED);
		assertThat(this.arbiter.isFinished()).isTrue();
	}

	@Test
	void aWorkerThatCannotBeForkedBeforeAnyWasReadyStopsTheCluster() {
		this.launcher.failing = true;
		start(2);
		assertThat(this.arbiter.isStopping()).isTrue();
		assertThat(this.arbiter.exitCode()).isEqualTo(ClusterExitCode.CANNOT_START);
		assertThat(this.launcher.attempts).as("no launch once stopping").isEqualTo(1);
	}

	@Test
	void aWorkerThatCannotBeForkedLaterIsTriedAgainAfterTheMaxDelay() {
		startReady(1);
		this.launcher.failing = true;
		crash(worker(1), 1);
		this.clock.advance(Duration.ofMillis(100));
		turn();
		assertThat(this.arbiter.isStopping()).isFalse();
		this.launcher.failing = false;
		this.clock.advance(Duration.ofMillis(900));
		turn();
		assertThat(this.launcher.launched).hasSize(1);
		this.clock.advance(Duration.ofMillis(100));
		turn();
		assertThat(this.launcher.launched).hasSize(2);
	}

	@Test
	void aReadyWorkerWithoutAWebServerStopsTheCluster() {
		start(1);
		received(worker(1), Message.of(Message.Type.READY, "-1", "-1", "false"));
		assertThat(this.arbiter.isStopping()).isTrue();
		assertThat(this.arbiter.exitCode()).isEqualTo(ClusterExitCode.CANNOT_START);
	}

	@Test
	void shutdownStopsEveryWorkerThenKillsThemWhenAskedAgain() {
		start(2);
		ready(worker(1));
		this.arbiter.shutdown("SIGTERM");
		turn();
		assertThat(worker(1).terminated).isTrue();
		assertThat(worker(2).terminated).isTrue();
		this.arbiter.shutdown("SIGINT");
		turn();
		assertThat(worker(1).killed).isTrue();
		worker(1).exit(137);
		worker(2).exit(137);
		turn();
		assertThat(this.arbiter.isFinished()).isTrue();
		assertThat(this.arbiter.exitCode()).isZero();
	}

	@Test
	void aWorkerThatDoesNotStopInTimeIsKilled() {
		startReady(1);
		this.arbiter.shutdown("SIGTERM");
		turn();
		this.clock.advance(SHUTDOWN_TIMEOUT.plusMillis(1));
		turn();
		assertThat(worker(1).killed).isTrue();
	}

	// --- restart policy: backoff, its reset, crash loops

	@Test
	void aCrashedWorkerIsRestartedWithABackoffThatDoubles(CapturedOutput output) {
		start(1, 0);
		ready(worker(1));
		crash(worker(1), 1);
		assertThat(this.rotation.routed).isEmpty();
		assertThat(output).contains("Worker 1 (pid 1001) exited with code 1; restarting it in 100 ms");
		this.clock.advance(Duration.ofMillis(99));
		turn();
		assertThat(this.launcher.launched).hasSize(1);
		this.clock.advance(Duration.ofMillis(1));
		turn();
		assertThat(this.launcher.launched).hasSize(2);
		crash(lastOf(1), 1);
		assertThat(output).contains("restarting it in 200 ms");
		this.clock.advance(Duration.ofMillis(200));
		turn();
		crash(lastOf(1), 1);
		assertThat(output).contains("restarting it in 400 ms");
		this.clock.advance(Duration.ofMillis(400));
		turn();
		ready(lastOf(1));
		// up long enough: the count starts again
		advanceWithHeartbeats(Duration.ofSeconds(11));
		crash(lastOf(1), 1);
		assertThat(output.getOut().lines().filter((line) -> line.contains("restarting it in 100 ms")).count())
			.isEqualTo(2);
	}

	@Test
	void theBackoffStopsAtTheMaxDelay(CapturedOutput output) {
		start(1, 0);
		ready(worker(1));
		for (int i = 0; i < 6; i++) {
			crash(lastOf(1), 1);
			this.clock.advance(Duration.ofSeconds(1));
			turn();
		}
		assertThat(output).contains("restarting it in 800 ms")
			.contains("restarting it in 1.0 s")
			.doesNotContain("restarting it in 1.6 s");
	}

	@Test
	void aCrashLoopMarksTheSlotFailedAndARestartRevivesIt(CapturedOutput output) {
		start(2, 2);
		ready(worker(1));
		ready(worker(2));
		for (int i = 0; i < 3; i++) {
			crash(lastOf(2), 1);
			this.clock.advance(Duration.ofSeconds(1));
			turn();
		}
		assertThat(states()).containsExactly("READY", "FAILED");
		assertThat(output).contains("Worker 2 needed 3 restarts within 1.0 min (cluster.restart.max-restarts is 2");
		int launches = this.launcher.launched.size();
		FakeChannel channel = connect(worker(1));
		received(worker(1), Message.of(Message.Type.RESTART, "r1", "2"));
		assertThat(channel.replies()).containsExactly("ACCEPTED");
		assertThat(this.launcher.launched).hasSize(launches + 1);
		ready(lastOf(2));
		turn();
		assertThat(states()).containsExactly("READY", "READY");
		assertThat(this.arbiter.status().reload().progress()).isEqualTo("0/1 replaced (1 had no worker of older code)");
	}

	// --- cluster-wide scrapes

	@Test
	void aScrapeCollectsFromTheOtherReadyWorkersAndRelaysTheirMetricsToTheAsker() {
		startReady(3);
		FakeChannel asker = connect(worker(1));
		FakeChannel second = connect(worker(2));
		FakeChannel third = connect(worker(3));
		received(worker(1), Message.of(Message.Type.SCRAPE, "scrape-1", 2000));
		assertThat(asker.sent).isEmpty();
		String collectId = second.only(Message.Type.COLLECT).get(0).field(0);
		assertThat(third.only(Message.Type.COLLECT)).extracting((message) -> message.field(0))
			.containsExactly(collectId);
		received(worker(2), Message.of(Message.Type.METRICS, collectId, "more", "part1"));
		received(worker(2), Message.of(Message.Type.METRICS, collectId, "last", "part2"));
		assertThat(asker.only(Message.Type.SCRAPED)).isEmpty();
		received(worker(3), Message.of(Message.Type.METRICS, collectId, "last", "part3"));
		assertThat(asker.only(Message.Type.METRICS)).extracting(Message::fields)
			.containsExactly(List.of("scrape-1", "2", "more", "part1"), List.of("scrape-1", "2", "last", "part2"),
					List.of("scrape-1", "3", "last", "part3"));
		assertThat(asker.only(Message.Type.SCRAPED)).extracting(Message::fields)
			.containsExactly(List.of("scrape-1", ""));
	}

	@Test
	void aScrapeEndsAtItsDeadlineWithoutTheWorkersThatDidNotAnswer() {
		startReady(3);
		FakeChannel asker = connect(worker(1));
		FakeChannel second = connect(worker(2));
		connect(worker(3));
		received(worker(1), Message.of(Message.Type.SCRAPE, "scrape-1", 2000));
		String collectId = second.only(Message.Type.COLLECT).get(0).field(0);
		received(worker(2), Message.of(Message.Type.METRICS, collectId, "last", "part2"));
		this.clock.advance(Duration.ofMillis(1999));
		turn();
		assertThat(asker.only(Message.Type.SCRAPED)).isEmpty();
		this.clock.advance(Duration.ofMillis(1));
		turn();
		assertThat(asker.only(Message.Type.SCRAPED)).extracting(Message::fields)
			.containsExactly(List.of("scrape-1", "3"));
		received(worker(3), Message.of(Message.Type.METRICS, collectId, "last", "late"));
		assertThat(asker.only(Message.Type.METRICS)).hasSize(1);
	}

	@Test
	void aScrapesQueryIsRelayedAsIsInEachCollect() {
		startReady(2);
		connect(worker(1));
		FakeChannel second = connect(worker(2));
		received(worker(1), Message.of(Message.Type.SCRAPE, "scrape-1", 2000, "meters", "http.server.requests"));
		assertThat(second.only(Message.Type.COLLECT)).extracting((message) -> message.fields().subList(1, 3))
			.containsExactly(List.of("meters", "http.server.requests"));
	}

	@Test
	void aScrapeWithNoOtherReadyWorkerEndsAtOnce() {
		startReady(1);
		FakeChannel asker = connect(worker(1));
		received(worker(1), Message.of(Message.Type.SCRAPE, "scrape-1", 2000));
		assertThat(asker.only(Message.Type.SCRAPED)).extracting(Message::fields)
			.containsExactly(List.of("scrape-1", ""));
	}

	@Test
	void restartsOutsideTheWindowAreNotACrashLoop() {
		start(1, 2);
		ready(worker(1));
		for (int i = 0; i < 4; i++) {
			crash(lastOf(1), 1);
			this.clock.advance(Duration.ofSeconds(31));
			turn();
			ready(lastOf(1));
		}
		assertThat(states()).containsExactly("READY");
	}

	// --- liveness: hung workers, pauses, ready and drain timeouts

	@Test
	void aHungWorkerIsStoppedAndReplacedAtOnce(CapturedOutput output) {
		startReady(2);
		for (int i = 0; i < 8; i++) {
			this.clock.advance(Duration.ofMillis(500));
			heartbeat(worker(1));
			turn();
		}
		assertThat(worker(2).threadDumps).isEqualTo(1);
		assertThat(worker(2).terminated).isTrue();
		assertThat(this.rotation.routedIds()).containsExactly(1);
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(lastOf(2).id).isEqualTo(2);
		assertThat(output).contains("Worker 2 (pid 1002) sent no heartbeat for 3.5 s").contains("it is hung");
		worker(2).exit(143);
		turn();
		assertThat(this.launcher.launched).hasSize(3);
	}

	@Test
	void hangingOverAndOverIsACrashLoop() {
		start(2, 2);
		ready(worker(1));
		for (int i = 0; i < 3; i++) {
			ready(lastOf(2));
			for (int step = 0; step < 8; step++) {
				this.clock.advance(Duration.ofMillis(500));
				heartbeat(worker(1));
				turn();
			}
		}
		assertThat(states()).containsExactly("READY", "STOPPING", "STOPPING", "STOPPING");
		assertThat(this.arbiter.status().workers().get(0).restarts()).isZero();
		this.launcher.launched.stream().filter((worker) -> worker.id == 2).forEach((worker) -> worker.exit(137));
		turn();
		assertThat(states()).containsExactly("READY", "FAILED");
	}

	@Test
	void aWorkerAboveTheMemoryLimitIsRecycled(CapturedOutput output) {
		Supervision supervision = supervision(2, null, 50 << 20);
		this.arbiter = new Arbiter(settings(1, supervision), PORTS, this::readSettings, this.rotation, this.clock);
		this.arbiter.use(this.launcher);
		turn();
		ready(worker(1));
		advanceWithHeartbeats(Duration.ofMillis(1500));
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(output).contains(
				"Recycling Worker 1 (pid 1001): its resident memory, 100 MB, is above cluster.worker.max-memory (50 MB)");
	}

	@Test
	void aPausedPrimaryGivesEveryWorkerAFreshHeartbeatTimeout(CapturedOutput output) {
		startReady(1);
		this.clock.advance(Duration.ofSeconds(6));
		turn();
		assertThat(worker(1).terminated).isFalse();
		assertThat(output).contains("The primary was paused for about 6.0 s; workers get a fresh heartbeat timeout");
		for (int i = 0; i < 7; i++) {
			this.clock.advance(Duration.ofMillis(500));
			turn();
		}
		assertThat(worker(1).terminated).isTrue();
	}

	@Test
	void aWorkerNotReadyInTimeIsKilledAndRestarted() {
		start(2);
		ready(worker(1));
		advanceWithHeartbeats(READY_TIMEOUT.plusMillis(500));
		assertThat(worker(2).killed).isTrue();
		worker(2).exit(137);
		turn();
		this.clock.advance(Duration.ofMillis(100));
		turn();
		assertThat(lastOf(2)).isNotSameAs(worker(2));
	}

	@Test
	void readyAfterNotReadyPutsTheWorkerBackInRotation(CapturedOutput output) {
		startReady(2);
		received(worker(2), Message.of(Message.Type.NOT_READY));
		assertThat(this.rotation.routedIds()).containsExactly(1);
		assertThat(states()).containsExactly("READY", "DRAINING");
		Backend retired = worker(2).backend;
		ready(worker(2));
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
		assertThat(this.rotation.routed.get(1)).isNotSameAs(retired);
		assertThat(output).contains("Worker 2 (pid 1002) is accepting traffic again; back in rotation");
		assertThat(worker(2).servings).as("made nicer once, when first ready").isOne();
	}

	@Test
	void aWorkerStartsAtThePrimarysPriorityAndIsMadeNicerWhenReady() {
		start(1);
		assertThat(worker(1).servings).isZero();
		ready(worker(1));
		assertThat(worker(1).servings).isOne();
	}

	@Test
	void aWorkerDrainingLongerThanTheDrainTimeoutIsReplaced(CapturedOutput output) {
		startReady(2);
		received(worker(2), Message.of(Message.Type.NOT_READY));
		advanceWithHeartbeats(DRAIN_TIMEOUT.minusMillis(500));
		assertThat(this.launcher.launched).hasSize(2);
		advanceWithHeartbeats(Duration.ofSeconds(1));
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(output).contains("Worker 2 (pid 1002) has refused traffic for more than 7.0 s");
		ready(lastOf(2));
		assertThat(worker(2).terminated).isTrue();
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
		assertThat(this.rotation.routed.get(1).pid()).isEqualTo(lastOf(2).pid);
	}

	@Test
	void aKilledWorkerIsNotKilledAgainForItsReadyTimeout() {
		start(1);
		this.clock.advance(READY_TIMEOUT.plusMillis(1));
		turn();
		this.clock.advance(READY_TIMEOUT.plusMillis(1));
		turn();
		assertThat(worker(1).kills).isEqualTo(1);
	}

	// --- replacements: reload, restart, recycle, scale

	@Test
	void aReloadReplacesEveryWorkerOneAtATime(CapturedOutput output) {
		startReady(2);
		this.arbiter.reload("SIGHUP");
		turn();
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(lastOf(1).generation).isEqualTo(2);
		turn();
		assertThat(this.launcher.launched).hasSize(3);
		ready(lastOf(1));
		assertThat(worker(1).terminated).isTrue();
		assertThat(this.launcher.launched).hasSize(4);
		ready(lastOf(2));
		turn();
		ClusterStatus.Reload reload = this.arbiter.status().reload();
		assertThat(reload.state()).isEqualTo("SUCCEEDED");
		assertThat(reload.progress()).isEqualTo("2/2 replaced");
		assertThat(reload.replacedPids()).containsExactly(1001L, 1002L);
		assertThat(this.arbiter.status().reloadsSucceeded()).isEqualTo(1);
		assertThat(output).containsPattern("Reload reload-1 \\(SIGHUP\\) finished: 2/2 replaced");
	}

	@Test
	void eachLifecycleEventIsOneLineNamingTheWorkerItsPidAndItsCause(CapturedOutput output) {
		startReady(1);
		worker(1).exit(137);
		turn();
		this.clock.advance(Duration.ofSeconds(5));
		turn();
		FakeWorker restarted = lastOf(1);
		ready(restarted);
		this.arbiter.reload("SIGHUP");
		turn();
		ready(lastOf(1));
		restarted.exit(143);
		turn();
		this.arbiter.shutdown("SIGTERM");
		turn();
		lastOf(1).exit(143);
		turn();
		assertThat(linesNaming(output, 1001)).satisfiesExactly(
				(line) -> assertThat(line).isEqualTo("Starting Worker 1 (pid 1001)"),
				(line) -> assertThat(line).startsWith("Worker 1 (pid 1001) ready in "), (line) -> assertThat(line)
					.startsWith("Worker 1 (pid 1001) was killed by signal 9 (SIGKILL); restarting it in "));
		assertThat(linesNaming(output, 1002)).satisfiesExactly(
				(line) -> assertThat(line).isEqualTo("Starting Worker 1 (pid 1002) (restart 1)"),
				(line) -> assertThat(line).startsWith("Worker 1 (pid 1002) ready in "),
				(line) -> assertThat(line).isEqualTo("Reload reload-1 (SIGHUP): Worker 1 (pid 1003) replaces pid 1002"),
				(line) -> assertThat(line)
					.isEqualTo("Worker 1 (pid 1002) stopped (replaced by Worker 1 (pid 1003) in reload-1)"));
		assertThat(linesNaming(output, 1003)).satisfiesExactly(
				(line) -> assertThat(line).isEqualTo("Reload reload-1 (SIGHUP): Worker 1 (pid 1003) replaces pid 1002"),
				(line) -> assertThat(line).startsWith("Worker 1 (pid 1003) ready in "),
				(line) -> assertThat(line)
					.isEqualTo("Worker 1 (pid 1002) stopped (replaced by Worker 1 (pid 1003) in reload-1)"),
				(line) -> assertThat(line).isEqualTo("Worker 1 (pid 1003) stopped (the cluster is stopping)"));
	}

	/** The log lines (their messages) that name the given pid. */
	private static List<String> linesNaming(CapturedOutput output, long pid) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("pid " + pid + ")") || line.endsWith("pid " + pid))
			.map((line) -> line.substring(line.indexOf(" -- ") + 4))
			.toList();
	}

	@Test
	void aRetiredWorkerIsStoppedOnlyOnceTheFrontDoorHasNoRequestInFlightOnIt(CapturedOutput output) {
		startReady(2);
		this.rotation.inFlight.put(worker(1).pid, 1);
		this.arbiter.reload("SIGHUP");
		turn();
		ready(lastOf(1));
		assertThat(this.rotation.routed).extracting(Backend::pid).containsExactly(lastOf(1).pid, worker(2).pid);
		assertThat(worker(1).terminated).isFalse();
		assertThat(this.launcher.launched).hasSize(4);
		advanceWithHeartbeats(Duration.ofSeconds(2));
		assertThat(worker(1).terminated).isFalse();
		assertThat(this.arbiter.status().workers()).filteredOn((worker) -> worker.pid() == worker(1).pid)
			.extracting(ClusterStatus.Worker::state)
			.containsExactly("DRAINING");
		this.rotation.inFlight.put(worker(1).pid, 0);
		this.clock.advance(Duration.ofMillis(50));
		turn();
		assertThat(worker(1).terminated).isTrue();
		assertThat(output).doesNotContain("refused traffic");
	}

	@Test
	void aRetiredWorkerStillAnsweringAtTheDrainTimeoutIsStopped(CapturedOutput output) {
		startReady(1);
		this.rotation.inFlight.put(worker(1).pid, 1);
		this.arbiter.reload("SIGHUP");
		turn();
		ready(lastOf(1));
		advanceWithHeartbeats(DRAIN_TIMEOUT.minusMillis(500));
		assertThat(worker(1).terminated).isFalse();
		advanceWithHeartbeats(Duration.ofSeconds(1));
		assertThat(worker(1).terminated).isTrue();
		assertThat(output).doesNotContain("refused traffic");
	}

	@Test
	void aRetiredWorkerThatExitsWhileDrainingIsNotRestarted() {
		startReady(1);
		this.rotation.inFlight.put(worker(1).pid, 1);
		this.arbiter.reload("SIGHUP");
		turn();
		ready(lastOf(1));
		crash(worker(1), 143);
		advanceWithHeartbeats(Duration.ofSeconds(2));
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(states()).containsExactly("READY");
	}

	@Test
	void aHungWorkerIsStoppedAtOnceWhateverIsInFlightOnIt() {
		startReady(2);
		this.rotation.inFlight.put(worker(2).pid, 1);
		for (int i = 0; i < 8; i++) {
			this.clock.advance(Duration.ofMillis(500));
			heartbeat(worker(1));
			turn();
		}
		assertThat(worker(2).terminated).isTrue();
	}

	@Test
	void aReloadReplacesAnOldWorkerWhateverItsState() {
		startReady(2);
		received(worker(1), Message.of(Message.Type.NOT_READY));
		this.arbiter.reload("SIGHUP");
		turn();
		assertThat(lastOf(1).generation).isEqualTo(2);
		ready(lastOf(1));
		ready(lastOf(2));
		turn();
		assertThat(this.arbiter.status().reload().replacedPids()).containsExactly(1001L, 1002L);
	}

	@Test
	void aReloadSkipsASlotWhoseWorkerAlreadyRunsTheNewCode() {
		startReady(2);
		this.arbiter.reload("SIGHUP");
		turn();
		crash(worker(2), 1);
		this.clock.advance(Duration.ofMillis(100));
		turn();
		ready(lastOf(1));
		ready(lastOf(2));
		turn();
		ClusterStatus.Reload reload = this.arbiter.status().reload();
		assertThat(reload.state()).isEqualTo("SUCCEEDED");
		assertThat(reload.replacedPids()).containsExactly(1001L);
		assertThat(reload.skipped()).isEqualTo(1);
		assertThat(reload.progress()).isEqualTo("1/2 replaced (1 had no worker of older code)");
	}

	@Test
	void aReloadWhoseReplacementDiesFailsAndTheOldWorkersKeepServing(CapturedOutput output) {
		startReady(2);
		this.arbiter.reload("SIGHUP");
		turn();
		lastOf(1).exit(ClusterExitCode.APPLICATION_CANNOT_BOOT);
		turn();
		ClusterStatus.Reload reload = this.arbiter.status().reload();
		assertThat(reload.state()).isEqualTo("FAILED");
		assertThat(reload.failure()).startsWith("Worker 1 (pid 1003) could not start: exited with code 3");
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
		assertThat(worker(1).terminated).isFalse();
		assertThat(this.arbiter.status().reloadsFailed()).isEqualTo(1);
		assertThat(output)
			.containsPattern("Reload reload-1 .* failed after 0/2 replaced: Worker 1 \\(pid \\d+\\) could not start: ");
	}

	@Test
	void aReloadToAStarterOfAnotherProtocolFailsSayingHowToUpgradeThePrimary(CapturedOutput output) {
		startReady(2);
		this.arbiter.reload("SIGHUP");
		turn();
		long pid = lastOf(1).pid;
		this.arbiter.refused(pid, "it speaks version 4 of the control protocol, this primary version 3");
		lastOf(1).exit(ClusterExitCode.APPLICATION_CANNOT_BOOT);
		turn();
		ClusterStatus.Reload reload = this.arbiter.status().reload();
		assertThat(reload.state()).isEqualTo("FAILED");
		String upgrade = "upgrade the primary to the new version (kill -USR2 " + ProcessHandle.current().pid() + ", ";
		assertThat(reload.failure()).startsWith("Worker 1 (pid " + pid
				+ ") could not start: it speaks version 4 of the control protocol, this primary version 3: " + upgrade)
			.contains("--cluster.ctl=upgrade, or the cluster endpoint's upgrade)");
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
		assertThat(output).contains("Refused Worker 1 (pid " + pid + "): it speaks version 4").contains(upgrade);
	}

	@Test
	void workersOfAnotherStarterVersionAreShownAsSkewAndWarnedOncePerVersion(CapturedOutput output) {
		start(3);
		received(worker(1), Message.of(Message.Type.READY, "1001", "-1", "false", "false", "9.1.0"));
		received(worker(2), Message.of(Message.Type.READY, "1002", "-1", "false", "false", "9.1.0"));
		assertThat(this.arbiter.status().versionSkew()).as("workers of one version, a primary from classes")
			.isEqualTo(Arbiter.STARTER_VERSION != null);
		received(worker(3), Message.of(Message.Type.READY, "1003", "-1", "false", "false", "9.2.0"));
		ClusterStatus status = this.arbiter.status();
		assertThat(status.workers()).extracting(ClusterStatus.Worker::starterVersion)
			.containsExactly("9.1.0", "9.1.0", "9.2.0");
		assertThat(status.starterVersion()).isEqualTo(Arbiter.STARTER_VERSION);
		assertThat(status.versionSkew()).isTrue();
		assertThat(output).containsOnlyOnce("runs Boot Cluster 9.1.0, this primary ")
			.contains("Worker 1 (pid 1001) runs Boot Cluster 9.1.0")
			.contains("Worker 3 (pid 1003) runs Boot Cluster 9.2.0")
			.contains(": upgrade the primary to run the new version (kill -USR2 ");
	}

	@Test
	void aReloadWhoseReplacementIsNotReadyInTimeFails() {
		startReady(1);
		this.arbiter.reload("SIGHUP");
		turn();
		advanceWithHeartbeats(READY_TIMEOUT.plusMillis(500));
		assertThat(lastOf(1).killed).isTrue();
		lastOf(1).exit(137);
		turn();
		assertThat(this.arbiter.status().reload().failure()).contains("not ready within 10.0 s");
		assertThat(this.rotation.routedIds()).containsExactly(1);
	}

	@Test
	void aReloadWhoseReplacementCannotBeForkedFails() {
		startReady(1);
		this.launcher.failing = true;
		this.arbiter.reload("SIGHUP");
		turn();
		assertThat(this.arbiter.status().reload().state()).isEqualTo("FAILED");
		assertThat(this.arbiter.isStopping()).isFalse();
	}

	@Test
	void aFailedFrontDoorStopsTheClusterWithItsOwnExitCode(CapturedOutput output) {
		startReady(2);
		this.arbiter.frontDoorFailed(new IllegalStateException("relay loop 1 died"));
		turn();
		assertThat(worker(1).terminated).isTrue();
		assertThat(worker(2).terminated).isTrue();
		assertThat(output).contains("The front door failed and no longer serves every connection");
		worker(1).exit(143);
		worker(2).exit(143);
		turn();
		assertThat(this.arbiter.isFinished()).isTrue();
		assertThat(this.arbiter.exitCode()).isEqualTo(ClusterExitCode.FRONT_DOOR_FAILED);
	}

	@Test
	void aShutdownAbortsARunningReload() {
		startReady(1);
		this.arbiter.reload("SIGHUP");
		turn();
		this.arbiter.shutdown("SIGTERM");
		turn();
		assertThat(this.arbiter.status().reload().failure()).isEqualTo("the cluster is stopping");
		lastOf(1).exit(143);
		worker(1).exit(143);
		turn();
		assertThat(this.arbiter.status().reloadsFailed()).isEqualTo(1);
		assertThat(this.arbiter.isFinished()).isTrue();
	}

	@Test
	void aSecondReloadWhileOneRunsIsRefused() {
		startReady(1);
		FakeChannel channel = connect(worker(1));
		received(worker(1), Message.of(Message.Type.RELOAD, "r1", "POST /actuator/cluster/reload"));
		received(worker(1), Message.of(Message.Type.RELOAD, "r2", "POST /actuator/cluster/reload"));
		received(worker(1), Message.of(Message.Type.SCALE, "r3", "2", "POST /actuator/cluster/scale"));
		assertThat(channel.replies()).containsExactly("ACCEPTED", "BUSY", "BUSY");
	}

	@Test
	void aControlClientIsAnsweredOnItsOwnChannel() {
		startReady(2);
		FakeChannel worker = connect(worker(1));
		FakeChannel client = new FakeChannel();
		this.arbiter.request(4242, client, Message.of(Message.Type.QUERY, "1"));
		this.arbiter.request(4242, client, Message.of(Message.Type.RESTART, "2", "2"));
		this.arbiter.request(4242, client, Message.of(Message.Type.SCALE, "3", "3", "cluster.ctl (pid 4242)"));
		turn();
		assertThat(client.only(Message.Type.STATUS)).extracting((message) -> message.status().workers().size())
			.containsExactly(2);
		assertThat(client.replies()).containsExactly("ACCEPTED", "BUSY");
		assertThat(worker.replies()).isEmpty();
		assertThat(worker.only(Message.Type.STATUS)).isEmpty();
		assertThat(client.closed).isFalse();
	}

	@Test
	void aMalformedControlRequestCutsOffTheClientOnly(CapturedOutput output) {
		startReady(2);
		FakeChannel client = new FakeChannel();
		this.arbiter.request(4242, client, Message.of(Message.Type.SCALE, "1", "many", "cluster.ctl"));
		this.arbiter.request(4242, client, Message.of(Message.Type.HEARTBEAT, "1", "2", "3"));
		this.arbiter.request(4242, client, Message.of(Message.Type.RELOAD, "2"));
		turn();
		assertThat(client.only(Message.Type.ERROR)).hasSize(3);
		assertThat(client.closed).isTrue();
		assertThat(client.replies()).isEmpty();
		assertThat(states()).containsExactly("READY", "READY");
		assertThat(this.arbiter.status().reload()).isNull();
		assertThat(this.launcher.launched).hasSize(2);
		assertThat(output)
			.contains("Refused a request from cluster.ctl (pid 4242): Malformed SCALE message: field 1 is not a number")
			.contains("Malformed HEARTBEAT message: is not a request cluster.ctl (pid 4242) may make")
			.doesNotContain("Could not handle");
	}

	@Test
	void theCurrentWorkerDyingDuringItsReplacementLeavesTheSlotToTheReplacement() {
		startReady(1);
		this.arbiter.reload("SIGHUP");
		turn();
		crash(worker(1), 1);
		assertThat(this.launcher.launched).hasSize(2);
		ready(lastOf(1));
		turn();
		assertThat(this.rotation.routedIds()).containsExactly(1);
		assertThat(this.arbiter.status().reload().state()).isEqualTo("SUCCEEDED");
		assertThat(this.arbiter.status().reload().replacedPids()).containsExactly(1001L);
	}

	@Test
	void restartOfAnUnknownWorkerIsNotFound() {
		startReady(1);
		FakeChannel channel = connect(worker(1));
		received(worker(1), Message.of(Message.Type.RESTART, "r1", "7"));
		received(worker(1), Message.of(Message.Type.RESTART, "r2", "x"));
		assertThat(channel.replies()).containsExactly("NO_SUCH_WORKER", "NO_SUCH_WORKER");
		assertThat(channel.sent.get(0).field(3)).isEqualTo("No worker 7: worker ids are 1 to 1");
	}

	@Test
	void aWorkerPastALimitIsRecycledOnceItsReplacementIsReady(CapturedOutput output) {
		startReady(2);
		received(worker(1), Message.of(Message.Type.RECYCLE, "served 200 requests (cluster.worker.max-requests)"));
		received(worker(2), Message.of(Message.Type.RECYCLE, "served 201 requests (cluster.worker.max-requests)"));
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(output).contains("Recycling Worker 1 (pid 1001): served 200 requests");
		turn();
		assertThat(this.launcher.launched).hasSize(3);
		ready(lastOf(1));
		assertThat(worker(1).terminated).isTrue();
		assertThat(this.launcher.launched).hasSize(4);
		ready(lastOf(2));
		assertThat(worker(2).terminated).isTrue();
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
	}

	@Test
	void aFailedRecycleIsTriedAgainLater(CapturedOutput output) {
		startReady(1);
		received(worker(1), Message.of(Message.Type.RECYCLE, "served 200 requests"));
		lastOf(1).exit(1);
		turn();
		assertThat(output).contains("Recycling worker 1 failed");
		assertThat(this.launcher.launched).hasSize(2);
		advanceWithHeartbeats(Duration.ofMillis(1500));
		assertThat(this.launcher.launched).hasSize(3);
		this.launcher.failing = true;
		lastOf(1).exit(1);
		turn();
		advanceWithHeartbeats(Duration.ofMillis(1500));
		assertThat(output).contains("Could not start a worker to recycle Worker 1 (pid 1001)");
		assertThat(this.rotation.routedIds()).containsExactly(1);
	}

	@Test
	void aWorkerPastItsLifetimeIsRecycled() {
		this.arbiter = new Arbiter(settings(1, supervision(2, Duration.ofSeconds(10), 0)), PORTS, this::readSettings,
				this.rotation, this.clock);
		this.arbiter.use(this.launcher);
		turn();
		ready(worker(1));
		advanceWithHeartbeats(Duration.ofSeconds(11));
		assertThat(this.launcher.launched).hasSize(2);
	}

	@Test
	void scalingUpAndDown() {
		startReady(1);
		FakeChannel channel = connect(worker(1));
		received(worker(1), Message.of(Message.Type.SCALE, "r1", "3", "POST /actuator/cluster/scale"));
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(this.launcher.count).isEqualTo(3);
		ready(worker(2));
		ready(worker(3));
		received(worker(1), Message.of(Message.Type.SCALE, "r2", "3", "POST /actuator/cluster/scale"));
		received(worker(1), Message.of(Message.Type.SCALE, "r3", "1", "POST /actuator/cluster/scale"));
		assertThat(worker(2).terminated).isTrue();
		assertThat(worker(3).terminated).isTrue();
		assertThat(this.rotation.routedIds()).containsExactly(1);
		worker(2).exit(143);
		worker(3).exit(143);
		turn();
		assertThat(this.launcher.launched).hasSize(3);
		received(worker(1), Message.of(Message.Type.SCALE, "r4", "5", "POST /actuator/cluster/scale"));
		assertThat(channel.replies()).containsExactly("ACCEPTED", "DONE", "ACCEPTED", "INVALID");
		assertThat(states()).containsExactly("READY");
	}

	@Test
	void scalingDownDuringARecycleForgetsIt() {
		startReady(2);
		received(worker(2), Message.of(Message.Type.RECYCLE, "served 200 requests"));
		this.arbiter.scale("SIGTTOU", -1);
		turn();
		assertThat(lastOf(2).terminated).isTrue();
		received(worker(1), Message.of(Message.Type.RECYCLE, "served 200 requests"));
		assertThat(lastOf(1)).isNotSameAs(worker(1));
	}

	// --- start concurrency: how many workers start at once

	@Test
	void withAStartConcurrencyOfOneOneWorkerStartsUntilItIsReady() {
		start(3, Map.of("cluster.worker.start-concurrency", "1"));
		assertThat(launchedIds()).containsExactly(1);
		this.clock.advance(Duration.ofSeconds(5));
		turn();
		assertThat(launchedIds()).as("time alone frees no turn").containsExactly(1);
		ready(worker(1));
		assertThat(launchedIds()).containsExactly(1, 2);
		ready(worker(2));
		assertThat(launchedIds()).containsExactly(1, 2, 3);
		ready(worker(3));
		assertThat(states()).containsExactly("READY", "READY", "READY");
	}

	@Test
	void aStartingWorkerThatDiesFreesItsTurn() {
		start(3, Map.of("cluster.worker.start-concurrency", "1"));
		ready(worker(1));
		crash(worker(2), 1);
		assertThat(launchedIds()).as("slot 3 starts while slot 2 backs off").containsExactly(1, 2, 3);
		this.clock.advance(Duration.ofSeconds(1));
		turn();
		assertThat(launchedIds()).as("slot 2's restart waits for worker 3").containsExactly(1, 2, 3);
		ready(worker(3));
		assertThat(launchedIds()).containsExactly(1, 2, 3, 2);
	}

	@Test
	void scalingUpStartsTheNewWorkersWithinTheStartConcurrency() {
		start(1, Map.of("cluster.worker.start-concurrency", "1"));
		ready(worker(1));
		this.arbiter.scale("SIGTTIN", 1);
		this.arbiter.scale("SIGTTIN", 1);
		turn();
		assertThat(launchedIds()).containsExactly(1, 2);
		ready(worker(2));
		assertThat(launchedIds()).containsExactly(1, 2, 3);
	}

	@Test
	void aReloadsStartingReplacementCountsTowardsTheStartConcurrency() {
		start(2, Map.of("cluster.worker.start-concurrency", "1"));
		ready(worker(1));
		ready(worker(2));
		this.arbiter.reload("SIGHUP");
		turn();
		crash(worker(2), 1);
		this.clock.advance(Duration.ofSeconds(1));
		turn();
		assertThat(launchedIds()).as("slot 2 waits for slot 1's replacement").containsExactly(1, 2, 1);
		ready(lastOf(1));
		assertThat(launchedIds()).containsExactly(1, 2, 1, 2);
		assertThat(lastOf(2).generation).isEqualTo(2);
		ready(lastOf(2));
		assertThat(this.arbiter.status().reload().state()).isEqualTo("SUCCEEDED");
	}

	// --- requests dropped say so

	@Test
	void aReloadBySignalDuringStartUpIsDroppedWithAWarning(CapturedOutput output) {
		start(1);
		this.arbiter.reload("SIGHUP");
		turn();
		assertThat(this.launcher.launched).hasSize(1);
		assertThat(output).contains("WARN")
			.contains("Ignored SIGHUP: No worker is ready yet: the cluster is still starting");
	}

	@Test
	void aReloadBySignalDuringShutdownIsDroppedWithAWarning(CapturedOutput output) {
		startReady(1);
		this.arbiter.shutdown("SIGTERM");
		this.arbiter.reload("SIGHUP");
		turn();
		assertThat(output).contains("Ignored SIGHUP: The cluster is stopping");
	}

	@Test
	void aScaleBySignalOutOfRangeIsDroppedWithAWarning(CapturedOutput output) {
		startReady(1);
		this.arbiter.scale("SIGTTOU", -1);
		turn();
		assertThat(output)
			.contains("Ignored SIGTTOU: Cannot scale to 0 workers: choose from 1 to 3 (cluster.max-workers)");
		this.arbiter.scale("SIGTTIN", 1);
		this.arbiter.scale("SIGTTIN", 1);
		this.arbiter.scale("SIGTTIN", 1);
		turn();
		assertThat(output).contains("Scaling from 2 to 3 worker(s) (SIGTTIN)")
			.contains("Ignored SIGTTIN: Cannot scale to 4 workers: choose from 1 to 3 (cluster.max-workers)");
	}

	// --- no worker can crash the primary

	@Test
	void aMalformedHeartbeatCutsTheWorkerOffAndTheLoopGoesOn(CapturedOutput output) {
		startReady(2);
		FakeChannel channel = connect(worker(2));
		received(worker(2), Message.of(Message.Type.HEARTBEAT, "x"));
		received(worker(2), Message.of(Message.Type.HEARTBEAT, "y"));
		received(worker(1), Message.of(Message.Type.HEARTBEAT, "1", "2", "x"));
		assertThat(channel.closed).isTrue();
		assertThat(worker(2).killed).isTrue();
		assertThat(worker(1).killed).isTrue();
		assertThat(this.rotation.routedIds()).isEmpty();
		assertThat(output.getOut().lines().filter((line) -> line.contains("ERROR")).toList()).hasSize(2)
			.anyMatch((line) -> line.contains("Malformed HEARTBEAT message: needs at least 3 field(s), has 1"))
			.anyMatch((line) -> line.contains("Malformed HEARTBEAT message: field 2 is not a number: 'x'"));
		worker(2).exit(137);
		worker(1).exit(137);
		turn();
		this.clock.advance(Duration.ofMillis(100));
		turn();
		assertThat(this.launcher.launched).hasSize(4);
		assertThat(this.arbiter.isStopping()).isFalse();
	}

	@Test
	void messagesWithoutTheirFieldsAreRefused() {
		start(1, 0);
		ready(worker(1));
		for (Message.Type type : List.of(Message.Type.FAILED, Message.Type.RECYCLE, Message.Type.QUERY,
				Message.Type.RELOAD, Message.Type.RESTART, Message.Type.SCALE, Message.Type.READY)) {
			FakeWorker worker = lastOf(1);
			received(worker, Message.of(type));
			assertThat(worker.killed).as(type.name()).isTrue();
			worker.exit(137);
			turn();
			this.clock.advance(Duration.ofSeconds(2));
			turn();
			ready(lastOf(1));
		}
		assertThat(this.arbiter.isStopping()).isFalse();
	}

	@Test
	void aReadyWithABadAddressCutsTheWorkerOff() {
		start(1);
		received(worker(1), Message.of(Message.Type.READY, "port", "-1"));
		assertThat(worker(1).killed).isTrue();
	}

	@Test
	void anExceptionOutsideAWorkersEventIsLoggedAndTheLoopGoesOn(CapturedOutput output) {
		startReady(1);
		this.rotation.failing = true;
		this.arbiter.shutdown("SIGTERM");
		turn();
		assertThat(output).contains("Could not handle a shutdown by SIGTERM: java.lang.IllegalStateException: boom");
		assertThat(worker(1).killed).isFalse();
	}

	@Test
	void aFailureWhileConvergingIsLoggedAndTheNextTurnTriesAgain(CapturedOutput output) {
		start(1);
		this.rotation.failing = true;
		ready(worker(1));
		assertThat(output).contains("Could not supervise the workers this turn: java.lang.IllegalStateException: boom");
		this.rotation.failing = false;
		turn();
		assertThat(this.rotation.routedIds()).containsExactly(1);
	}

	@Test
	void aConnectionFromAStrangerIsClosed() {
		start(1);
		FakeChannel channel = new FakeChannel();
		this.arbiter.connected(4242, channel);
		turn();
		assertThat(channel.closed).isTrue();
	}

	@Test
	void aClosedChannelTakesTheWorkerOutOfRotationAndKillsIt() {
		startReady(1);
		this.arbiter.closed(worker(1).pid);
		turn();
		assertThat(worker(1).killed).isTrue();
		assertThat(this.rotation.routed).isEmpty();
	}

	@Test
	void aQueryIsAnsweredWithTheStatus() {
		startReady(1);
		FakeChannel channel = connect(worker(1));
		received(worker(1), Message.of(Message.Type.QUERY, "q1"));
		assertThat(channel.sent.get(0).status().workers()).extracting(ClusterStatus.Worker::state)
			.containsExactly("READY");
		assertThat(channel.sent.get(0).status().failedRequests()).isEqualTo(3);
	}

	// --- leases: run-once jobs and ShedLock locks

	@Test
	void aLeaseIsGrantedToOneReadyWorkerKeptForItAndRefusedToTheOthers(CapturedOutput output) {
		startReady(2);
		FakeChannel first = connect(worker(1));
		FakeChannel second = connect(worker(2));
		assertThat(lease(worker(1), first, "job", 0)).containsExactly("l1", "true", "1");
		assertThat(lease(worker(2), second, "job", 0)).containsExactly("l2", "false", "1");
		assertThat(lease(worker(1), first, "job", 0)).containsExactly("l3", "true", "1");
		assertThat(lease(worker(2), second, "other", 0)).containsExactly("l4", "true", "2");
		assertThat(output).contains("Worker 1 (pid 1001) holds lease 'job'");
	}

	@Test
	void aWorkerNotReadyIsGrantedNoLease() {
		start(1);
		FakeChannel channel = connect(worker(1));
		assertThat(lease(worker(1), channel, "job", 0)).containsExactly("l1", "false", "0");
	}

	@Test
	void aLeaseGoesToAnotherWorkerAtOnceWhenItsHolderDies() {
		startReady(2);
		FakeChannel first = connect(worker(1));
		FakeChannel second = connect(worker(2));
		lease(worker(1), first, "job", 0);
		crash(worker(1), 137);
		assertThat(lease(worker(2), second, "job", 0)).containsExactly("l2", "true", "2");
	}

	@Test
	void aHungHolderLosesItsLeaseAtOnceWhileItIsStillStopping(CapturedOutput output) {
		startReady(2);
		FakeChannel first = connect(worker(1));
		FakeChannel second = connect(worker(2));
		lease(worker(2), second, "job", 0);
		for (int i = 0; i < 8; i++) {
			this.clock.advance(Duration.ofMillis(500));
			heartbeat(worker(1));
			turn();
		}
		assertThat(worker(2).exit).isNotDone();
		assertThat(lease(worker(1), first, "job", 0)).containsExactly("l2", "true", "1");
		assertThat(output).contains("Worker 2 (pid 1002) lost lease 'job' (it is hung)");
	}

	@Test
	void aHolderLeavingTheRotationGivesItsLeaseBackBeforeAnotherWorkerGetsIt() {
		startReady(2);
		FakeChannel first = connect(worker(1));
		FakeChannel second = connect(worker(2));
		lease(worker(1), first, "job", 0);
		received(worker(1), Message.of(Message.Type.NOT_READY));
		assertThat(first.only(Message.Type.REVOKE)).extracting(Message::fields).containsExactly(List.of("job"));
		assertThat(lease(worker(2), second, "job", 0)).as("its run may still be going on")
			.containsExactly("l2", "false", "1");
		assertThat(lease(worker(1), first, "job", 0)).as("no new run on a worker leaving")
			.containsExactly("l3", "false", "1");
		turn();
		assertThat(first.only(Message.Type.REVOKE)).as("asked once").hasSize(1);
		received(worker(1), Message.of(Message.Type.RELEASE, "job", 0));
		assertThat(lease(worker(2), second, "job", 0)).containsExactly("l4", "true", "2");
	}

	@Test
	void aReloadHandsTheLeaseOverToAWorkerOfTheNewGeneration() {
		startReady(1);
		FakeChannel old = connect(worker(1));
		lease(worker(1), old, "job", 0);
		this.arbiter.reload("SIGHUP");
		turn();
		FakeChannel replacement = connect(lastOf(1));
		ready(lastOf(1));
		assertThat(old.only(Message.Type.REVOKE)).hasSize(1);
		assertThat(lease(lastOf(1), replacement, "job", 0)).containsExactly("l2", "false", "1");
		worker(1).exit(143);
		turn();
		assertThat(lease(lastOf(1), replacement, "job", 0)).containsExactly("l3", "true", "1");
	}

	@Test
	void aLockEndsAfterItsTimeLimitAndStaysTakenForItsLeastTimeAfterItIsReleased() {
		startReady(2);
		FakeChannel first = connect(worker(1));
		FakeChannel second = connect(worker(2));
		assertThat(lease(worker(1), first, "lock", 1000)).containsExactly("l1", "true", "1");
		assertThat(lease(worker(1), first, "lock", 1000)).as("held: not taken twice")
			.containsExactly("l2", "false", "1");
		assertThat(lease(worker(2), second, "lock", 1000)).containsExactly("l3", "false", "1");
		advanceWithHeartbeats(Duration.ofMillis(1000));
		assertThat(lease(worker(2), second, "lock", 1000)).containsExactly("l4", "true", "2");
		received(worker(2), Message.of(Message.Type.RELEASE, "lock", 500));
		assertThat(lease(worker(1), first, "lock", 1000)).containsExactly("l5", "false", "0");
		advanceWithHeartbeats(Duration.ofMillis(500));
		assertThat(lease(worker(1), first, "lock", 1000)).containsExactly("l6", "true", "1");
	}

	@Test
	void aReleaseByAWorkerThatDoesNotHoldTheLeaseIsIgnored() {
		startReady(2);
		FakeChannel first = connect(worker(1));
		FakeChannel second = connect(worker(2));
		lease(worker(1), first, "job", 0);
		received(worker(2), Message.of(Message.Type.RELEASE, "job", 0));
		assertThat(lease(worker(2), second, "job", 0)).containsExactly("l2", "false", "1");
	}

	@Test
	void aLeaseWithANegativeTimeCutsTheWorkerOff() {
		startReady(1);
		FakeChannel channel = connect(worker(1));
		received(worker(1), Message.of(Message.Type.LEASE, "l1", "job", -1));
		assertThat(channel.closed).isTrue();
		assertThat(worker(1).killed).isTrue();
	}

	// --- membership: what happens, told to the ready workers

	@Test
	void everyReadyWorkerIsToldWhatHappensToTheOthers() {
		startReady(2);
		FakeChannel first = connect(worker(1));
		crash(worker(2), 137);
		this.clock.advance(Duration.ofMillis(100));
		turn();
		FakeChannel restarted = connect(lastOf(2));
		ready(lastOf(2));
		assertThat(first.only(Message.Type.MEMBERSHIP)).extracting(Message::fields)
			.containsExactly(List.of("WORKER_EXITED", "2", "1002", "137", "SIGKILL"),
					List.of("WORKER_STARTED", "2", "1003"), List.of("WORKER_READY", "2", "1003"));
		assertThat(restarted.only(Message.Type.MEMBERSHIP)).as("only once ready")
			.extracting(Message::fields)
			.containsExactly(List.of("WORKER_READY", "2", "1003"));
	}

	@Test
	void readyWorkersAreToldWhenAReloadStartsAndFinishes() {
		startReady(1);
		FakeChannel old = connect(worker(1));
		this.arbiter.reload("SIGHUP");
		turn();
		FakeChannel replacement = connect(lastOf(1));
		ready(lastOf(1));
		turn();
		assertThat(old.only(Message.Type.MEMBERSHIP)).extracting(Message::fields)
			.containsExactly(List.of("RELOAD_STARTED", "reload-1", "SIGHUP"), List.of("WORKER_STARTED", "1", "1002"));
		assertThat(replacement.only(Message.Type.MEMBERSHIP)).extracting(Message::fields)
			.containsExactly(List.of("WORKER_READY", "1", "1002"), List.of("RELOAD_FINISHED", "reload-1", "SUCCEEDED"));
	}

	// --- a reload's new settings

	@Test
	void aReloadAppliesTheSettingsItsFirstNewWorkerReports(CapturedOutput output) {
		startReady(2);
		FakeChannel old = connect(worker(2));
		this.arbiter.reload("SIGHUP");
		turn();
		FakeChannel first = connect(lastOf(1));
		report(lastOf(1), "cluster.workers=3", "cluster.worker.max-requests=100");
		assertThat(this.arbiter.settings().workers()).isEqualTo(3);
		assertThat(this.arbiter.settings().supervision().maxRequests()).isEqualTo(100);
		assertThat(this.launcher.settings).as("later workers' settings").isSameAs(this.arbiter.settings());
		assertThat(this.launcher.count).isEqualTo(3);
		assertThat(first.only(Message.Type.LIMITS)).as("heartbeat interval, request limit")
			.extracting(Message::fields)
			.containsExactly(List.of("1000", "100"));
		assertThat(old.only(Message.Type.LIMITS)).hasSize(1);
		assertThat(lastOf(3).generation).as("the new slot runs the new version").isEqualTo(2);
		ready(lastOf(1));
		ready(lastOf(3));
		ready(lastOf(2));
		turn();
		assertThat(this.arbiter.status().reload().state()).isEqualTo("SUCCEEDED");
		assertThat(this.rotation.routedIds()).containsExactly(1, 2, 3);
		assertThat(this.arbiter.status().desiredWorkers()).isEqualTo(3);
		assertThat(this.arbiter.status().restartPending()).isEmpty();
		assertThat(output).contains("Reload reload-1 (SIGHUP) applies the new version's settings: cluster.workers '2'"
				+ " -> '3', cluster.worker.max-requests '0' -> '100'");
	}

	@Test
	void settingsOnlyARestartAppliesKeepTheirValueAndAreNamed(CapturedOutput output) {
		startReady(1);
		this.arbiter.reload("SIGHUP");
		turn();
		FakeChannel first = connect(lastOf(1));
		report(lastOf(1), "cluster.workers=1", "cluster.scheduling-policy=least-connections", "server.port=9090");
		assertThat(this.arbiter.settings().policy()).isEqualTo(SchedulingPolicy.ROUND_ROBIN);
		assertThat(this.arbiter.status().schedulingPolicy()).isEqualTo("round-robin");
		assertThat(this.arbiter.status().restartPending()).containsExactly("cluster.scheduling-policy", "server.port");
		assertThat(first.only(Message.Type.LIMITS)).as("nothing to apply").isEmpty();
		assertThat(output).containsPattern("WARN .* Reload reload-1 \\(SIGHUP\\): the new version changes "
				+ "cluster.scheduling-policy, server.port, which needs a restart of the primary or an upgrade \\(kill -USR2 "
				+ ProcessHandle.current().pid() + ", ");
		ready(lastOf(1));
		assertThat(this.arbiter.status().reload().state()).isEqualTo("SUCCEEDED");
	}

	@Test
	void aNewVersionWithAnInvalidSettingFailsTheReloadAndChangesNothing(CapturedOutput output) {
		startReady(2);
		this.arbiter.reload("SIGHUP");
		turn();
		connect(lastOf(1));
		report(lastOf(1), "cluster.workers=three", "cluster.worker.max-requests=100");
		ClusterStatus.Reload reload = this.arbiter.status().reload();
		assertThat(reload.state()).isEqualTo("FAILED");
		assertThat(reload.failure()).contains("Property 'cluster.workers' is 'three', which is not allowed");
		assertThat(lastOf(1).terminated).as("the new version's worker stopped").isTrue();
		assertThat(this.arbiter.settings().workers()).isEqualTo(2);
		assertThat(this.arbiter.settings().supervision().maxRequests()).isZero();
		lastOf(1).exit(143);
		turn();
		assertThat(states()).containsExactly("READY", "READY");
		assertThat(this.rotation.routedIds()).containsExactly(1, 2);
		assertThat(this.launcher.launched).hasSize(3);
		assertThat(output).containsPattern("Reload reload-1 .* failed after 0/2 replaced: Worker 1 \\(pid 1003\\) runs "
				+ "a version whose settings are invalid: Property 'cluster.workers' is 'three'");
	}

	@Test
	void onlyTheFirstNewWorkerOfAReloadReportsTheNewVersionsSettings() {
		startReady(2);
		report(worker(1), "cluster.workers=3");
		assertThat(this.arbiter.settings().workers()).as("outside a reload").isEqualTo(2);
		this.arbiter.reload("SIGHUP");
		turn();
		report(lastOf(1), "cluster.workers=2", "cluster.worker.max-requests=100");
		ready(lastOf(1));
		report(lastOf(2), "cluster.workers=3");
		assertThat(this.arbiter.settings().workers()).isEqualTo(2);
		assertThat(this.arbiter.settings().supervision().maxRequests()).isEqualTo(100);
	}

	@Test
	void aReloadAppliesClassDataSharingAndStartConcurrencyButNotTheCacheDirectory(CapturedOutput output) {
		startReady(1);
		this.arbiter.reload("SIGHUP");
		turn();
		report(lastOf(1), "cluster.workers=1", "cluster.worker.class-data-sharing=auto",
				"cluster.worker.start-concurrency=1", "cluster.worker.cache-dir=/elsewhere");
		assertThat(this.arbiter.settings().classDataSharing()).isEqualTo(ClassDataSharing.AUTO);
		assertThat(this.arbiter.settings().startConcurrency()).isOne();
		assertThat(this.launcher.settings).as("later workers' settings").isSameAs(this.arbiter.settings());
		assertThat(this.arbiter.settings().cacheDirectory()).isEqualTo(Path.of("unused"));
		assertThat(this.arbiter.status().restartPending()).containsExactly("cluster.worker.cache-dir");
		assertThat(output)
			.contains("applies the new version's settings: cluster.worker.class-data-sharing 'off' -> "
					+ "'auto', cluster.worker.start-concurrency '3' -> '1'")
			.containsPattern("WARN .* the new version changes cluster.worker.cache-dir, which needs a restart");
	}

	// --- the fakes and helpers

	private void report(FakeWorker worker, String... properties) {
		received(worker, Message.of(Message.Type.SETTINGS, (Object[]) properties));
	}

	/**
	 * Reads a few reported properties as {@code ClusterSettingsBinder} would: workers,
	 * max-requests, scheduling policy, server port, class-data sharing, cache directory
	 * and start concurrency.
	 */
	private SettingsReader.Reported readSettings(Map<String, String> properties) {
		String workers = properties.getOrDefault("cluster.workers", "2");
		if (!workers.matches("[1-9][0-9]*")) {
			throw new IllegalArgumentException(
					"Property 'cluster.workers' is '" + workers + "', which is not allowed: a whole number from 1");
		}
		Supervision supervision = new Supervision(Duration.ofSeconds(1), Duration.ofSeconds(3), 0,
				Duration.ofSeconds(1), Long.parseLong(properties.getOrDefault("cluster.worker.max-requests", "0")), 0,
				null, 2, Duration.ofMinutes(1));
		SchedulingPolicy policy = "least-connections".equals(properties.get("cluster.scheduling-policy"))
				? SchedulingPolicy.LEAST_CONNECTIONS : SchedulingPolicy.ROUND_ROBIN;
		return new SettingsReader.Reported(settings(Integer.parseInt(workers), supervision, policy, properties),
				List.of(new PublicPort(PortKind.SERVER, null,
						Integer.parseInt(properties.getOrDefault("server.port", "8080")))));
	}

	private void start(int workers) {
		start(workers, 2);
	}

	/** Starts the cluster and has every worker report ready. */
	private void startReady(int workers) {
		start(workers);
		for (int id = 1; id <= workers; id++) {
			ready(worker(id));
		}
	}

	// --- upgrade of the primary

	@Test
	void anUpgradesNewPrimaryListensOnceEveryWorkerIsReady(CapturedOutput output) {
		long predecessor = 999_999_999L;
		this.arbiter = new Arbiter(settings(2, supervision(2, null, 0)), PORTS, this::readSettings, this.rotation,
				this.clock, new Upgrade(predecessor, List.of(), new PidFile(null), ENDPOINT));
		this.arbiter.use(this.launcher);
		turn();
		ready(worker(1));
		assertThat(this.rotation.listened).as("listening with one worker of two ready").isZero();
		ready(worker(2));
		assertThat(this.rotation.listened).isOne();
		crash(worker(1), 1);
		this.clock.advance(Duration.ofSeconds(1));
		turn();
		ready(lastOf(1));
		assertThat(this.rotation.listened).as("listening once").isOne();
		assertThat(output).contains("Took over the ports from the primary pid " + predecessor);
	}

	@Test
	void anUpgradesNewPrimaryWithAFailedSlotStopsWithoutListening() {
		this.arbiter = new Arbiter(settings(2, supervision(2, null, 0)), PORTS, this::readSettings, this.rotation,
				this.clock, new Upgrade(999_999_999L, List.of(), new PidFile(null), ENDPOINT));
		this.arbiter.use(this.launcher);
		turn();
		ready(worker(1));
		worker(2).exit(ClusterExitCode.APPLICATION_CANNOT_BOOT);
		turn();
		assertThat(this.arbiter.isStopping()).isTrue();
		assertThat(this.arbiter.exitCode()).isEqualTo(ClusterExitCode.CANNOT_START);
		assertThat(this.rotation.listened).isZero();
	}

	@Test
	void anUpgradeIsAskedOverTheChannelAndASecondOneWhileUnderWayIsRefused() throws Exception {
		List<Process> started = new ArrayList<>();
		this.arbiter = new Arbiter(settings(1, supervision(2, null, 0)), PORTS, this::readSettings, this.rotation,
				this.clock, new Upgrade(null, PORTS, new PidFile(null), ENDPOINT, (builder) -> {
					assertThat(builder.environment()).containsEntry(Upgrade.PORTS, "server=8080");
					Process process = new ProcessBuilder("sleep", "60").start();
					started.add(process);
					return process;
				}));
		this.arbiter.use(this.launcher);
		try {
			turn();
			FakeChannel channel = connect(worker(1));
			received(worker(1), Message.of(Message.Type.UPGRADE, "u1", "POST /actuator/cluster/upgrade"));
			assertThat(channel.only(Message.Type.REPLY).get(0).reply().outcome()).isEqualTo(Reply.Outcome.UNAVAILABLE);
			assertThat(channel.only(Message.Type.REPLY).get(0).reply().message()).contains("still starting");
			ready(worker(1));
			received(worker(1), Message.of(Message.Type.UPGRADE, "u2", "POST /actuator/cluster/upgrade"));
			assertThat(started).hasSize(1);
			assertThat(channel.only(Message.Type.REPLY).get(1).reply().outcome()).isEqualTo(Reply.Outcome.ACCEPTED);
			assertThat(channel.only(Message.Type.REPLY).get(1).reply().message())
				.startsWith("Upgrading the primary: started a new one, pid " + started.get(0).pid());
			received(worker(1), Message.of(Message.Type.UPGRADE, "u3", "POST /actuator/cluster/upgrade"));
			assertThat(started).hasSize(1);
			assertThat(channel.only(Message.Type.REPLY).get(2).reply().outcome()).isEqualTo(Reply.Outcome.BUSY);
		}
		finally {
			started.forEach(Process::destroyForcibly);
		}
	}

	@Test
	void aPrimaryThatUpgradesNothingNeverListensAgain() {
		startReady(2);
		assertThat(this.rotation.listened).isZero();
	}

	private void start(int workers, Map<String, String> properties) {
		this.arbiter = new Arbiter(settings(workers, supervision(2, null, 0), SchedulingPolicy.ROUND_ROBIN, properties),
				PORTS, this::readSettings, this.rotation, this.clock);
		this.arbiter.use(this.launcher);
		turn();
	}

	private void start(int workers, int maxRestarts) {
		this.arbiter = new Arbiter(settings(workers, supervision(maxRestarts, null, 0)), PORTS, this::readSettings,
				this.rotation, this.clock);
		this.arbiter.use(this.launcher);
		turn();
	}

	/**
	 * Heartbeats every second, hung after 3 s of silence, limits checked every second.
	 */
	private static Supervision supervision(int maxRestarts, Duration maxLifetime, long maxMemory) {
		return new Supervision(Duration.ofSeconds(1), Duration.ofSeconds(3), maxMemory, Duration.ofSeconds(1), 0, 0,
				maxLifetime, maxRestarts, Duration.ofMinutes(1));
	}

	private static ClusterSettings settings(int workers, Supervision supervision) {
		return settings(workers, supervision, SchedulingPolicy.ROUND_ROBIN, Map.of());
	}

	/**
	 * Three workers may start at once unless {@code cluster.worker.start-concurrency}
	 * says otherwise.
	 */
	private static ClusterSettings settings(int workers, Supervision supervision, SchedulingPolicy policy,
			Map<String, String> properties) {
		return new ClusterSettings(workers, policy, List.of(), false, READY_TIMEOUT, SHUTDOWN_TIMEOUT, DRAIN_TIMEOUT,
				new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)),
				Duration.ofSeconds(5), Duration.ofMinutes(5), InternalHop.TCP, 3, supervision, 1000, 16 * 1024,
				64 * 1024 * 1024,
				ClassDataSharing.valueOf(
						properties.getOrDefault("cluster.worker.class-data-sharing", "off").toUpperCase(Locale.ROOT)),
				Path.of(properties.getOrDefault("cluster.worker.cache-dir", "unused")),
				Integer.parseInt(properties.getOrDefault("cluster.worker.start-concurrency", "3")), false, 5);
	}

	private void turn() {
		this.arbiter.turn();
	}

	private void received(FakeWorker worker, Message message) {
		this.arbiter.received(worker.pid, message);
		turn();
	}

	private void ready(FakeWorker worker) {
		received(worker, Message.of(Message.Type.READY, Long.toString(worker.pid), "-1", "false"));
		worker.backend = this.rotation.routed.stream()
			.filter((backend) -> backend.pid() == worker.pid)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Asks for a lease as {@code worker}, with request ids l1, l2, ... in the test.
	 * @return the primary's answer's fields
	 */
	private List<String> lease(FakeWorker worker, FakeChannel channel, String name, long millis) {
		String id = "l" + (++this.leaseRequests);
		received(worker, Message.of(Message.Type.LEASE, id, name, millis));
		List<Message> answers = channel.only(Message.Type.LEASE_STATE);
		return answers.get(answers.size() - 1).fields();
	}

	private void heartbeat(FakeWorker worker) {
		this.arbiter.received(worker.pid, Message.of(Message.Type.HEARTBEAT, 1, 2, 3));
	}

	private void crash(FakeWorker worker, int exitValue) {
		worker.exit(exitValue);
		turn();
	}

	private FakeChannel connect(FakeWorker worker) {
		FakeChannel channel = new FakeChannel();
		this.arbiter.connected(worker.pid, channel);
		turn();
		return channel;
	}

	/** Moves time on in half-second steps, every live worker sending heartbeats. */
	private void advanceWithHeartbeats(Duration duration) {
		for (long left = duration.toMillis(); left > 0; left -= 500) {
			this.clock.advance(Duration.ofMillis(Math.min(500, left)));
			this.launcher.launched.stream().filter((worker) -> !worker.exit.isDone()).forEach(this::heartbeat);
			turn();
		}
	}

	/** The first worker launched for a slot. */
	private FakeWorker worker(int id) {
		return this.launcher.launched.stream().filter((worker) -> worker.id == id).findFirst().orElseThrow();
	}

	/** The last worker launched for a slot. */
	private FakeWorker lastOf(int id) {
		return this.launcher.launched.stream().filter((worker) -> worker.id == id).reduce((a, b) -> b).orElseThrow();
	}

	/** The slot of each worker launched, in launch order. */
	private List<Integer> launchedIds() {
		return this.launcher.launched.stream().map((worker) -> worker.id).toList();
	}

	private List<String> states() {
		return this.arbiter.status().workers().stream().map(ClusterStatus.Worker::state).toList();
	}

	private static final class FakeClock implements Ticker {

		private long nanos = 1_000_000_000L;

		@Override
		public long nanos() {
			return this.nanos;
		}

		void advance(Duration duration) {
			this.nanos += duration.toNanos();
		}

	}

	private static final class FakeLauncher implements Launcher {

		private final List<FakeWorker> launched = new ArrayList<>();

		private boolean failing;

		private int attempts;

		private int count;

		private ClusterSettings settings;

		@Override
		public WorkerHandle launch(int id, int generation) throws IOException {
			this.attempts++;
			if (this.failing) {
				throw new IOException("Cannot run program \"java\": error=12, Not enough space");
			}
			FakeWorker worker = new FakeWorker(1001 + this.launched.size(), id, generation);
			this.launched.add(worker);
			return worker;
		}

		@Override
		public void workerCount(int count) {
			this.count = count;
		}

		@Override
		public void use(ClusterSettings settings) {
			this.settings = settings;
		}

	}

	private static final class FakeWorker implements WorkerHandle {

		private final long pid;

		private final int id;

		private final int generation;

		private final CompletableFuture<Integer> exit = new CompletableFuture<>();

		private boolean terminated;

		private boolean killed;

		private int kills;

		private int threadDumps;

		private int servings;

		private Backend backend;

		FakeWorker(long pid, int id, int generation) {
			this.pid = pid;
			this.id = id;
			this.generation = generation;
		}

		void exit(int exitValue) {
			this.exit.complete(exitValue);
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public CompletableFuture<Integer> onExit() {
			return this.exit;
		}

		@Override
		public void terminate() {
			this.terminated = true;
		}

		@Override
		public void kill() {
			this.killed = true;
			this.kills++;
		}

		@Override
		public void requestThreadDump() {
			this.threadDumps++;
		}

		@Override
		public void serving() {
			this.servings++;
		}

		@Override
		public Map<String, Integer> extraPorts() {
			return Map.of();
		}

		@Override
		public long residentMemory() {
			return 100 << 20;
		}

		@Override
		public void exited() {
		}

	}

	private static final class FakeRotation implements Rotation {

		private List<Backend> routed = List.of();

		private boolean stoppedAccepting;

		private int listened;

		private boolean failing;

		/** Requests in flight on each worker, by pid. */
		private final Map<Long, Integer> inFlight = new HashMap<>();

		@Override
		public void route(List<Backend> ready) {
			if (this.failing) {
				throw new IllegalStateException("boom");
			}
			this.routed = ready;
		}

		@Override
		public void stopAccepting() {
			if (this.failing) {
				throw new IllegalStateException("boom");
			}
			this.stoppedAccepting = true;
		}

		@Override
		public void listen() {
			this.listened++;
		}

		@Override
		public CompletableFuture<Void> handOver(long successor) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<Integer> ports() {
			return List.of(8080);
		}

		@Override
		public Map<String, Integer> extraPorts() {
			return Map.of();
		}

		@Override
		public long failedRequests() {
			return 3;
		}

		@Override
		public int requestsInFlight(Backend backend) {
			return this.inFlight.getOrDefault(backend.pid(), 0);
		}

		List<Integer> routedIds() {
			return this.routed.stream().map(Backend::workerId).toList();
		}

	}

	private static final class FakeChannel implements WorkerChannel {

		private final List<Message> sent = new ArrayList<>();

		private boolean closed;

		@Override
		public void send(Message message) {
			this.sent.add(message);
		}

		@Override
		public void close() {
			this.closed = true;
		}

		List<Message> only(Message.Type type) {
			return this.sent.stream().filter((message) -> message.type() == type).toList();
		}

		List<String> replies() {
			return this.sent.stream()
				.filter((message) -> message.type() == Message.Type.REPLY)
				.map((message) -> message.field(1))
				.toList();
		}

	}

}
