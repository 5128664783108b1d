package dev.bootcluster.primary;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.bootcluster.channel.ClusterStatus;

import org.jspecify.annotations.Nullable;

/**
 * A worker position, 1 to N, that is filled again whenever its worker dies.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Slot {

	final int id;

	@Nullable WorkerProcess current;

	/** The worker starting to take over this slot (a reload, restart or recycle). */
	@Nullable WorkerProcess replacement;

	/** Consecutive deaths, for the backoff. */
	int deaths;

	int restarts;

	/** When it was restarted within the crash-loop window, oldest first. */
	final Deque<Long> restartTimes = new ArrayDeque<>();

	/** In a crash loop (or cannot boot): not restarted until asked. */
	boolean failed;

	ClusterStatus.@Nullable Exit lastExit;

	/** When an empty slot may be filled again. */
	long restartAt;

	/** A recycle whose replacement failed waits until then to try again. */
	long recycleNotBefore;

	Slot(int id, long now) {
		this.id = id;
		this.restartAt = now;
		this.recycleNotBefore = now;
	}

	/** Whether it waits for a worker to be started. */
	boolean isEmpty() {
		return this.current == null && this.replacement == null;
	}

	/** A FAILED slot gets another chance (a reload or restart asks for it). */
	void revive(long now) {
		if (this.failed) {
			this.failed = false;
			this.restartTimes.clear();
			this.deaths = 0;
			this.restartAt = now;
		}
	}

}
