package dev.bootcluster.frontdoor;

/**
 * How new connections are spread over the workers: {@code cluster.scheduling-policy}.
 */
public enum SchedulingPolicy {

	/** The primary accepts; the next ready worker that keeps up (Node's SCHED_RR). */
	ROUND_ROBIN,

	/**
	 * The primary accepts; the ready worker with the fewest open connections (HAProxy
	 * leastconn).
	 */
	LEAST_CONNECTIONS,

	/**
	 * The primary accepts; the same client address always goes to the same worker while
	 * it is ready.
	 */
	SOURCE_IP,

	/**
	 * Every worker binds the public port with SO_REUSEPORT and the kernel spreads the
	 * connections; the primary holds the port but is off the data path (Node's
	 * SCHED_NONE).
	 */
	OS;

	/** The value as written in properties, such as {@code round-robin}. */
	public String value() {
		return name().toLowerCase().replace('_', '-');
	}

	Scheduler scheduler() {
		return switch (this) {
			case LEAST_CONNECTIONS -> new LeastConnections();
			case SOURCE_IP -> new SourceIp();
			default -> new RoundRobin();
		};
	}

}
