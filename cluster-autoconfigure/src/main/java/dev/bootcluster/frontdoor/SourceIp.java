package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The same client address always goes to the same worker id while that worker is ready
 * (sticky sessions). Rendezvous hashing: each client ranks the worker ids by a hash of
 * both and takes the highest, so when a worker comes or goes only its own clients move.
 */
final class SourceIp implements Scheduler {

	@Override
	public @Nullable Backend pick(List<Backend> ready, List<Backend> refused, InetAddress client) {
		long clientHash = Arrays.hashCode(client.getAddress());
		Backend best = null;
		long bestScore = 0;
		for (Backend candidate : ready) {
			if (refused.contains(candidate)) {
				continue;
			}
			long score = mix(clientHash * 31 + candidate.workerId());
			if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
				best = candidate;
				bestScore = score;
			}
		}
		return best;
	}

	/** SplitMix64's finaliser: spreads close inputs over the whole range. */
	private static long mix(long value) {
		long z = value + 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

}
