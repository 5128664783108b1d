package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.util.List;

/**
 * Each new connection goes to the ready worker with the fewest open connections; ties
 * are broken in turn, so that an idle cluster still spreads its connections.
 */
final class LeastConnections implements Scheduler {

	private final Turn turn = new Turn();

	@Override
	public Backend pick(List<Backend> ready, List<Backend> refused, InetAddress client) {
		int size = ready.size();
		if (size == 0) {
			return null;
		}
		int start = this.turn.start(size);
		Backend least = null;
		for (int i = 0; i < size; i++) {
			Backend candidate = ready.get((start + i) % size);
			if (!refused.contains(candidate)
					&& (least == null || candidate.activeConnections() < least.activeConnections())) {
				least = candidate;
			}
		}
		return least;
	}

}
