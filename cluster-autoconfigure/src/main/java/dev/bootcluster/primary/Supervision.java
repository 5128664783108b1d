package dev.bootcluster.primary;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * How the primary watches running workers: heartbeats, the limits that make it recycle a
 * worker gracefully, and what counts as a crash loop.
 *
 * @param heartbeatInterval how often a worker says it is alive
 * @param heartbeatTimeout silence after which a ready worker is hung
 * @param maxMemoryBytes resident set size above which a worker is recycled; 0: no limit
 * @param checkInterval how often memory and lifetime are checked
 * @param maxRequests requests after which a worker is recycled; 0: no limit
 * @param maxRequestsJitter up to this many more, at random, per worker
 * @param maxLifetime time after which a worker is recycled; {@code null}: no limit
 * @param maxRestarts restarts within {@code restartWindow} that mark a slot FAILED; 0: no
 * limit
 * @param restartWindow the window for {@code maxRestarts}
 */
public record Supervision(Duration heartbeatInterval, Duration heartbeatTimeout, long maxMemoryBytes,
		Duration checkInterval, long maxRequests, long maxRequestsJitter, @Nullable Duration maxLifetime,
		int maxRestarts, Duration restartWindow) {

	/**
	 * A worker's own request limit: max-requests plus its share of jitter; 0 for none.
	 */
	long requestLimitForNewWorker() {
		if (this.maxRequests == 0) {
			return 0;
		}
		return this.maxRequests
				+ ((this.maxRequestsJitter > 0) ? ThreadLocalRandom.current().nextLong(this.maxRequestsJitter + 1) : 0);
	}

	/**
	 * A worker's own lifetime: max-lifetime, up to 10% shorter at random; {@code null}
	 * for none.
	 */
	@Nullable Duration lifetimeForNewWorker() {
		if (this.maxLifetime == null) {
			return null;
		}
		long spread = this.maxLifetime.toMillis() / 10;
		return this.maxLifetime.minusMillis((spread > 0) ? ThreadLocalRandom.current().nextLong(spread + 1) : 0);
	}

}
