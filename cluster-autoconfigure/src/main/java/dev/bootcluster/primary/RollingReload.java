package dev.bootcluster.primary;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.bootcluster.channel.ClusterStatus;

import org.jspecify.annotations.Nullable;

/**
 * One rolling reload: the worker slots still to replace, one at a time, the replacement
 * being started now, exactly which workers it replaced, and how it ended.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class RollingReload {

	enum State {

		RUNNING, SUCCEEDED, FAILED

	}

	private final String id;

	private final String trigger;

	private final int generation;

	private final Deque<Integer> remaining;

	private final int total;

	private final Instant startedAt = Instant.now();

	private State state = State.RUNNING;

	/** The pids of the workers it replaced, in order. */
	private final List<Long> replacedPids = new ArrayList<>();

	/** Slots that had no worker of older code to replace. */
	private int skipped;

	private @Nullable WorkerProcess replacement;

	/** The pid of the worker {@link #replacement} replaces. */
	private long replacingPid;

	private @Nullable Instant endedAt;

	/** Whether a new worker's settings have been read as the new version's. */
	private boolean settingsRead;

	private @Nullable String failure;

	RollingReload(String id, String trigger, int generation, List<Integer> slots) {
		this.id = id;
		this.trigger = trigger;
		this.generation = generation;
		this.remaining = new ArrayDeque<>(slots);
		this.total = slots.size();
	}

	String id() {
		return this.id;
	}

	int generation() {
		return this.generation;
	}

	String trigger() {
		return this.trigger;
	}

	State state() {
		return this.state;
	}

	boolean isRunning() {
		return this.state == State.RUNNING;
	}

	/** The next slot to replace, or {@code null} when every one has been. */
	Integer nextSlot() {
		return this.remaining.poll();
	}

	@Nullable WorkerProcess replacement() {
		return this.replacement;
	}

	/** Starts to replace the worker with {@code oldPid}. */
	void replacing(WorkerProcess replacement, long oldPid) {
		this.replacement = replacement;
		this.replacingPid = oldPid;
	}

	/**
	 * The current replacement is ready and in rotation; the worker it replaces is retired
	 * (or gone).
	 */
	void replaced() {
		this.replacedPids.add(this.replacingPid);
		this.replacement = null;
	}

	/**
	 * Whether the settings a replacement reports are to be read as the new version's:
	 * true for the first one only.
	 */
	boolean readSettings() {
		boolean first = !this.settingsRead;
		this.settingsRead = true;
		return first;
	}

	/** The next slot had no worker of older code: nothing to replace there. */
	void skipped() {
		this.skipped++;
	}

	void succeed() {
		end(State.SUCCEEDED, null);
	}

	void fail(String failure) {
		this.replacement = null;
		end(State.FAILED, failure);
	}

	private void end(State state, @Nullable String failure) {
		this.state = state;
		this.failure = failure;
		this.endedAt = Instant.now();
	}

	String progress() {
		return this.replacedPids.size() + "/" + this.total + " replaced"
				+ ((this.skipped > 0) ? " (" + this.skipped + " had no worker of older code)" : "");
	}

	Duration elapsed() {
		return Duration.between(this.startedAt, (this.endedAt != null) ? this.endedAt : Instant.now());
	}

	ClusterStatus.Reload status() {
		return new ClusterStatus.Reload(this.id, this.trigger, this.state.name(), progress(), this.replacedPids.size(),
				this.total, this.startedAt, this.endedAt, this.failure, this.skipped, List.copyOf(this.replacedPids));
	}

	@Override
	public String toString() {
		return "Reload " + this.id + " (" + this.trigger + ")";
	}

}
