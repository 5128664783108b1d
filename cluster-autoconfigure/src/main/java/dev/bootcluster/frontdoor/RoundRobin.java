package dev.bootcluster.frontdoor;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Each new connection goes to the next ready worker in turn, skipping for this turn a
 * worker that is not keeping up: one that has not yet taken its last connection, or has
 * far more open connections than the others (like Node's round_robin_handle.js, which
 * hands a connection only to a worker that took the previous one). When every worker
 * lags, the turn's worker gets it anyway.
 */
final class RoundRobin extends TakingTurns {

	/**
	 * Open connections above twice the average of all, plus this slack, count as far
	 * behind.
	 */
	private static final int SLACK = 16;

	@Override
	@Nullable Backend pick(List<Backend> ready, List<Backend> refused, int start) {
		int size = ready.size();
		int limit = (size > 1) ? 2 * totalActive(ready) / size + SLACK : Integer.MAX_VALUE;
		Backend lagging = null;
		for (int i = 0; i < size; i++) {
			Backend candidate = ready.get((start + i) % size);
			if (refused.contains(candidate)) {
				continue;
			}
			if (candidate.connecting() == 0 && candidate.activeConnections() <= limit) {
				return candidate;
			}
			if (lagging == null) {
				lagging = candidate;
			}
		}
		return lagging;
	}

	private static int totalActive(List<Backend> ready) {
		int total = 0;
		for (Backend backend : ready) {
			total += backend.activeConnections();
		}
		return total;
	}

}
