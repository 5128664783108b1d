package dev.bootcluster.frontdoor;

import java.lang.management.ManagementFactory;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many connections the front door can relay with the process's file descriptors
 * (RLIMIT_NOFILE, as the JVM raised it at start): each costs two, the client's socket and
 * the one to its worker, besides a reserve for the JVM's own files, the listening and
 * control sockets, and each worker's pipes and channel.
 */
public final class DescriptorBudget {

	/** The JVM's jars and libraries, selectors, listening and control sockets, logs. */
	private static final long BASE_RESERVE = 128;

	/**
	 * Per worker the cluster may run: three pipes for its output and input, one channel
	 * socket.
	 */
	private static final long RESERVE_PER_WORKER = 4;

	/** Where the JVM cannot tell its limit (not on Unix). */
	private static final int UNKNOWN_LIMIT_DEFAULT = 10_000;

	private DescriptorBudget() {
	}

	/** The default for {@code cluster.front-door.max-connections} in this process. */
	public static int maxConnections(int maxWorkers) {
		return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
				? maxConnections(unix.getMaxFileDescriptorCount(), maxWorkers) : UNKNOWN_LIMIT_DEFAULT;
	}

	static int maxConnections(long descriptorLimit, int maxWorkers) {
		long spare = descriptorLimit - BASE_RESERVE - RESERVE_PER_WORKER * maxWorkers;
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, spare / 2));
	}

}
