package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A scheduler that looks at the ready workers starting one further each time, so that
 * equal choices take turns.
 * <p>
 * Threads: shared by the relay loops.
 */
abstract class TakingTurns implements Scheduler {

	private final AtomicInteger next = new AtomicInteger();

	@Override
	public final @Nullable Backend pick(List<Backend> ready, List<Backend> refused, InetAddress client) {
		int size = ready.size();
		return (size > 0) ? pick(ready, refused, Math.floorMod(this.next.getAndIncrement(), size)) : null;
	}

	/**
	 * @param ready at least one worker
	 * @param start where this turn starts in {@code ready}
	 */
	abstract @Nullable Backend pick(List<Backend> ready, List<Backend> refused, int start);

}
