package dev.bootcluster.primary;

import dev.bootcluster.channel.WorkerEnvironment;

/**
 * What the primary's exit code tells a process manager (systemd, Kubernetes).
 */
final class ClusterExitCode {

	/** Stopped on request (SIGTERM, SIGINT). */
	static final int STOPPED = 0;

	/** The cluster itself could not start: a bad property, a port in use. */
	static final int CANNOT_START = 1;

	/** The application cannot boot: no worker ever became ready. Same as a worker's. */
	static final int APPLICATION_CANNOT_BOOT = WorkerEnvironment.CANNOT_BOOT_EXIT_CODE;

	/**
	 * Every worker slot is FAILED (crash loops, or boots that fail): nothing can serve.
	 */
	static final int ALL_WORKERS_FAILED = 4;

	/**
	 * The front door failed (a relay loop died): the ports are no longer served whole.
	 */
	static final int FRONT_DOOR_FAILED = 5;

	private ClusterExitCode() {
	}

}
