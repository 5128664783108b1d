package dev.bootcluster.frontdoor;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Each new connection goes to the ready worker with the fewest open connections; ties are
 * broken in turn, so that an idle cluster still spreads its connections.
 */
final class LeastConnections extends TakingTurns {

	@Override
	@Nullable Backend pick(List<Backend> ready, List<Backend> refused, int start) {
		int size = ready.size();
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
