package dev.bootcluster.primary;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.bootcluster.channel.WorkerState;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replaces running workers gracefully, one at a time: a reload or a restart (every worker
 * of an older generation in the given slots), a recycle (a worker marked for a limit, or
 * out of rotation too long), and the retirement of workers a scale-down removes. A
 * replacement starts; once it is ready it takes the slot and the old worker is retired
 * (out of rotation at once, its connections moved, then stopped once no request the front
 * door sent it waits for an answer), without a failed request. A reload goes before
 * recycles; neither overlaps with another step.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Replacements {

	private static final Log logger = LogFactory.getLog(Replacements.class);

	private ClusterSettings settings;

	private final Membership membership;

	/** The generation new workers run; a reload starts the next one. */
	private int generation = 1;

	private int reloadCount;

	/** The running or last reload, or {@code null}. */
	private @Nullable RollingReload reload;

	private long reloadsSucceeded;

	private long reloadsFailed;

	/** The slot whose replacement is starting now, or {@code null}. */
	private @Nullable Slot replacing;

	Replacements(ClusterSettings settings, Membership membership) {
		this.settings = settings;
		this.membership = membership;
	}

	/** New settings apply to the replacements and retirements from now on. */
	void use(ClusterSettings settings) {
		this.settings = settings;
	}

	int generation() {
		return this.generation;
	}

	@Nullable RollingReload reload() {
		return this.reload;
	}

	boolean isReloading() {
		return this.reload != null && this.reload.isRunning();
	}

	long reloadsSucceeded() {
		return this.reloadsSucceeded;
	}

	long reloadsFailed() {
		return this.reloadsFailed;
	}

	/**
	 * Starts a reload of the given slots: each worker of an older generation is replaced.
	 */
	RollingReload startReload(String trigger, List<Slot> slots, long now) {
		this.generation++;
		this.reload = new RollingReload("reload-" + (++this.reloadCount), trigger, this.generation,
				slots.stream().map((slot) -> slot.id).toList());
		// A FAILED slot gets another chance: its next start runs the new code.
		slots.forEach((slot) -> slot.revive(now));
		logger.info(this.reload + " started: replacing " + slots.size() + " worker(s) one at a time");
		this.membership.reloadStarted(this.reload);
		return this.reload;
	}

	/**
	 * One step: puts a ready replacement in its slot, or starts the next replacement the
	 * reload or a recycle needs.
	 */
	void step(WorkerTable table, long now) {
		if (this.replacing != null) {
			if (Objects.requireNonNull(this.replacing.replacement).state() != WorkerState.READY) {
				return;
			}
			promote(this.replacing);
			this.replacing = null;
		}
		if (isReloading()) {
			stepReload(table);
		}
		else {
			stepRecycle(table, now);
		}
	}

	private void stepReload(WorkerTable table) {
		RollingReload reload = Objects.requireNonNull(this.reload, "No reload running");
		for (Integer id = reload.nextSlot(); id != null; id = reload.nextSlot()) {
			Slot slot = table.slot(id);
			WorkerProcess old = (slot != null) ? slot.current : null;
			if (slot == null || old == null || old.generation() >= reload.generation()) {
				// No worker of older code here: its next start, or the one running, has
				// the new code.
				reload.skipped();
				continue;
			}
			WorkerProcess replacement;
			try {
				replacement = table.launch(id, reload.generation());
			}
			catch (IOException ex) {
				fail("could not start a worker: " + ex.getMessage());
				return;
			}
			start(slot, replacement);
			reload.replacing(replacement, old.pid());
			logger.info(reload + ": " + replacement + " replaces pid " + old.pid());
			return;
		}
		reload.succeed();
		reloadsSucceeded++;
		table.reloadSucceeded();
		this.membership.reloadFinished(reload);
		logger.info(reload + " finished: " + reload.progress() + " in " + Arbiter.format(reload.elapsed()));
	}

	private void stepRecycle(WorkerTable table, long now) {
		for (Slot slot : table.slots()) {
			WorkerProcess current = slot.current;
			if (current != null && current.recycleReason() != null && !current.isStopping() && !current.isKilled()
					&& current.state() != WorkerState.STARTING && slot.replacement == null
					&& now - slot.recycleNotBefore >= 0) {
				WorkerProcess replacement;
				try {
					replacement = table.launch(slot.id, this.generation);
				}
				catch (IOException ex) {
					logger.warn("Could not start a worker to recycle " + current + ": " + ex.getMessage());
					slot.recycleNotBefore = now + this.settings.backoff().maxDelay().toNanos();
					return;
				}
				start(slot, replacement);
				logger.info(
						"Recycling " + current + ": " + current.recycleReason() + "; " + replacement + " replaces it");
				return;
			}
		}
	}

	private void start(Slot slot, WorkerProcess replacement) {
		slot.replacement = replacement;
		this.replacing = slot;
	}

	/** Puts a ready replacement in its slot and retires the worker it replaces. */
	private void promote(Slot slot) {
		WorkerProcess old = slot.current;
		WorkerProcess replacement = slot.replacement;
		slot.current = replacement;
		slot.replacement = null;
		if (old != null) {
			RollingReload reload = this.reload;
			retire(old, "replaced by " + replacement
					+ ((reload != null && reload.replacement() == replacement) ? " in " + reload.id() : ""));
		}
		if (this.reload != null && this.reload.replacement() == replacement) {
			this.reload.replaced();
		}
	}

	/**
	 * Out of rotation, its connections moved to other workers, then stopped gracefully
	 * once the front door has no request in flight on it (see {@link #stopDrained}).
	 */
	void retire(WorkerProcess worker, String cause) {
		worker.retireThenStop(this.settings.drainTimeout(), cause);
	}

	/**
	 * Stops each retired worker that has answered every request the front door sent it,
	 * or whose drain timeout has passed.
	 * @return whether a retired worker still waits to be stopped
	 */
	boolean stopDrained(Collection<WorkerProcess> workers, Rotation rotation, long now) {
		boolean waiting = false;
		for (WorkerProcess worker : workers) {
			if (worker.isDrainingToStop()) {
				if (worker.isDrained(rotation, now)) {
					worker.stop(this.settings.shutdownTimeout(), worker.stopCause());
				}
				else {
					waiting = true;
				}
			}
		}
		return waiting;
	}

	/**
	 * A replacement died before it was ready: the reload it belonged to fails (the
	 * workers not yet replaced keep serving), or the recycle is tried again later.
	 */
	void replacementDied(Slot slot, WorkerProcess worker, String cause, long now) {
		slot.replacement = null;
		this.replacing = null;
		if (this.reload != null && this.reload.replacement() == worker) {
			fail(worker + " could not start: " + cause);
			return;
		}
		Duration retry = this.settings.backoff().maxDelay();
		slot.recycleNotBefore = now + retry.toNanos();
		logger.warn("Recycling worker " + slot.id + " failed: " + worker + " could not start: " + cause
				+ ". The worker it was to replace keeps serving; trying again in " + Arbiter.format(retry));
	}

	/**
	 * Whether {@code worker}'s reported settings are the new version's: it is the first
	 * new worker of the running reload to report them.
	 */
	boolean readsSettingsOf(WorkerProcess worker) {
		return this.reload != null && this.reload.isRunning() && this.reload.replacement() == worker
				&& this.reload.readSettings();
	}

	/**
	 * The running reload's replacement cannot serve (its version's settings are invalid):
	 * it is stopped and the reload fails, as for a version that cannot boot.
	 */
	void refuse(WorkerProcess replacement, String failure) {
		if (this.replacing != null && this.replacing.replacement == replacement) {
			this.replacing.replacement = null;
			this.replacing = null;
		}
		fail(replacement + " " + failure);
		replacement.stop(this.settings.shutdownTimeout(), "its version's settings are invalid");
	}

	/** The slot is gone (scaled down): nothing of it is replaced any more. */
	void forget(Slot slot) {
		if (this.replacing == slot) {
			this.replacing = null;
		}
	}

	/** Ends a running reload as failed, e.g. because the cluster is stopping. */
	void abort(String reason) {
		if (isReloading()) {
			fail(reason);
		}
		this.replacing = null;
	}

	private void fail(String failure) {
		RollingReload reload = Objects.requireNonNull(this.reload, "No reload running");
		reload.fail(failure);
		reloadsFailed++;
		this.membership.reloadFinished(reload);
		logger.error(reload + " failed after " + reload.progress() + ": " + failure
				+ ". The workers not yet replaced keep serving.");
	}

}
