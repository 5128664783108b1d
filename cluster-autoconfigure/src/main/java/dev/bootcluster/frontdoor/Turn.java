package dev.bootcluster.frontdoor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a scheduler starts looking among the ready workers, one further each time, so
 * that equal choices take turns.
 * <p>
 * Threads: shared by the relay loops.
 */
final class Turn {

	private final AtomicInteger next = new AtomicInteger();

	/** The next starting index among {@code size} workers (at least 1). */
	int start(int size) {
		return Math.floorMod(this.next.getAndIncrement(), size);
	}

}
