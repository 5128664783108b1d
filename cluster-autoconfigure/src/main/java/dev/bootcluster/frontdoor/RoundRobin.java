package dev.bootcluster.frontdoor;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands each new connection to the next ready worker in turn.
 * <p>
 * Threads: the arbiter replaces the list; relay loops pick concurrently.
 */
final class RoundRobin {

	private volatile List<Backend> backends = List.of();

	private final AtomicInteger turn = new AtomicInteger();

	void update(List<Backend> backends) {
		this.backends = List.copyOf(backends);
	}

	List<Backend> backends() {
		return this.backends;
	}

	/**
	 * The next worker that is not among {@code excluded} (workers that just refused this
	 * connection), or {@code null} when none is left.
	 */
	Backend pick(List<Backend> excluded) {
		List<Backend> candidates = this.backends;
		int size = candidates.size();
		if (size == 0) {
			return null;
		}
		int start = Math.floorMod(this.turn.getAndIncrement(), size);
		for (int i = 0; i < size; i++) {
			Backend candidate = candidates.get((start + i) % size);
			if (!excluded.contains(candidate)) {
				return candidate;
			}
		}
		return null;
	}

}
