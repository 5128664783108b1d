package dev.bootcluster.primary;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a slot whose worker died, hung or could not be forked: a restart after
 * an exponential backoff (reset after a healthy uptime), FAILED for a crash loop or a
 * boot that cannot succeed, or, when nothing can serve any more, the cluster's stop with
 * the exit code a process manager should see (returned, never set elsewhere).
 * <p>
 * Threads: owned by the arbiter thread; it keeps no state of its own, only the slots'.
 */
final class RestartPolicy {

	private static final Log logger = LogFactory.getLog(RestartPolicy.class);

	private Backoff backoff;

	private Supervision supervision;

	RestartPolicy(Backoff backoff, Supervision supervision) {
		this.backoff = backoff;
		this.supervision = supervision;
	}

	/** New settings: the backoff and crash-loop limits from now on. */
	void use(ClusterSettings settings) {
		this.backoff = settings.backoff();
		this.supervision = settings.supervision();
	}

	/**
	 * The cluster must stop: why, and with which exit code (see {@link ClusterExitCode}).
	 */
	record Stop(String reason, int exitCode) {
	}

	/**
	 * The slot's worker ended without being asked to.
	 * @return how the cluster stops, or {@code null} when it goes on
	 */
	@Nullable Stop afterDeath(Slot slot, WorkerProcess worker, int exitValue, boolean everReady, List<Slot> slots, long now) {
		String cause = (worker.failure() != null) ? worker.failure() : ExitStatus.describe(exitValue);
		if (!everReady) {
			logger.error(
					worker + " could not start: " + cause + ". No worker has ever become ready, so the cluster stops.");
			return new Stop("the application could not start", ClusterExitCode.APPLICATION_CANNOT_BOOT);
		}
		slot.restarts++;
		if (slot.replacement != null) {
			logger.warn(worker + " " + ExitStatus.describe(exitValue) + "; its replacement " + slot.replacement
					+ " takes its place");
			return null;
		}
		if (exitValue == ClusterExitCode.APPLICATION_CANNOT_BOOT && !worker.wasReady()) {
			// As Gunicorn halts on a boot error: restarting it would fail the same way.
			return markFailed(slot, "cannot boot: " + cause, ClusterExitCode.APPLICATION_CANNOT_BOOT, slots);
		}
		if (crashLoops(slot, now)) {
			return crashLooped(slot, ExitStatus.describe(exitValue), slots);
		}
		if (this.backoff.resets(worker.uptime())) {
			slot.deaths = 0;
		}
		slot.deaths++;
		Duration delay = this.backoff.delayAfter(slot.deaths);
		slot.restartAt = now + delay.toNanos();
		logger.warn(worker + " " + ExitStatus.describe(exitValue) + "; restarting it in " + Arbiter.format(delay));
		return null;
	}

	/**
	 * The slot's worker hung and is being stopped: a new one starts at once, unless that
	 * makes a crash loop.
	 * @return how the cluster stops, or {@code null} when it goes on
	 */
	@Nullable Stop afterHang(Slot slot, List<Slot> slots, long now) {
		slot.restarts++;
		if (crashLoops(slot, now)) {
			return crashLooped(slot, "hung", slots);
		}
		slot.restartAt = now;
		return null;
	}

	/**
	 * A worker could not even be forked (no memory, no such file): before any worker was
	 * ready the cluster cannot work; after, the slot tries again later.
	 * @return how the cluster stops, or {@code null} when it goes on
	 */
	@Nullable Stop cannotLaunch(Slot slot, IOException ex, boolean everReady, long now) {
		logger.error("Could not start worker " + slot.id + ": " + ex.getMessage());
		if (!everReady) {
			return new Stop("no worker could be started", ClusterExitCode.CANNOT_START);
		}
		slot.restartAt = now + this.backoff.maxDelay().toNanos();
		return null;
	}

	/**
	 * Counts a restart of the slot: whether it makes more than max-restarts within the
	 * window.
	 */
	private boolean crashLoops(Slot slot, long now) {
		slot.restartTimes.addLast(now);
		while (now - slot.restartTimes.peekFirst() > this.supervision.restartWindow().toNanos()) {
			slot.restartTimes.removeFirst();
		}
		int max = this.supervision.maxRestarts();
		return max > 0 && slot.restartTimes.size() > max;
	}

	private @Nullable Stop crashLooped(Slot slot, String cause, List<Slot> slots) {
		return markFailed(slot,
				"needed " + slot.restartTimes.size() + " restarts within "
						+ Arbiter.format(this.supervision.restartWindow()) + " (cluster.restart.max-restarts is "
						+ this.supervision.maxRestarts() + " within cluster.restart.window); last: " + cause,
				ClusterExitCode.ALL_WORKERS_FAILED, slots);
	}

	/** A slot that is not restarted any more; when no slot is left, the cluster stops. */
	private @Nullable Stop markFailed(Slot slot, String why, int exitCode, List<Slot> slots) {
		slot.failed = true;
		logger.error("Worker " + slot.id + " " + why + ". Its slot is FAILED and not restarted; "
				+ "a restart of worker " + slot.id + " or a reload tries again");
		return slots.stream().allMatch((each) -> each.failed) ? new Stop("every worker slot is FAILED", exitCode)
				: null;
	}

}
