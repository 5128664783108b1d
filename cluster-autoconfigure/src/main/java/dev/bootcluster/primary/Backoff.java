package dev.bootcluster.primary;

import java.time.Duration;

/**
 * The restart policy for a worker slot that keeps dying: the delay doubles with each
 * consecutive death, up to {@code maxDelay}; a worker that stayed up {@code resetAfter}
 * starts the count again.
 */
public record Backoff(Duration initialDelay, Duration maxDelay, Duration resetAfter) {

	/**
	 * The delay before restarting after the given number of consecutive deaths (1 for the
	 * first).
	 */
	Duration delayAfter(int deaths) {
		Duration delay = this.initialDelay;
		for (int i = 1; i < deaths && delay.compareTo(this.maxDelay) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.maxDelay) < 0) ? delay : this.maxDelay;
	}

	boolean resets(Duration uptime) {
		return uptime.compareTo(this.resetAfter) >= 0;
	}

}
