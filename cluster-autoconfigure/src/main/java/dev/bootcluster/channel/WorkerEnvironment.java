package dev.bootcluster.channel;

import java.util.Locale;
import java.util.Set;

/**
 * The environment variables through which the primary tells a worker who it is and how to
 * reach the primary. {@code CLUSTER_WORKER_ID} is also what makes a process a worker.
 */
public final class WorkerEnvironment {

	/** The worker's id, 1 to N; stays the same when the worker is replaced. */
	public static final String ID = "CLUSTER_WORKER_ID";

	/** How many workers the cluster runs. */
	public static final String COUNT = "CLUSTER_WORKER_COUNT";

	/** Path of the primary's control socket. */
	public static final String CHANNEL = "CLUSTER_CHANNEL";

	/**
	 * With the 'os' scheduling policy: the public server port, which the worker listens
	 * on itself with SO_REUSEPORT.
	 */
	public static final String SHARED_PORT = "CLUSTER_SHARED_PORT";

	/**
	 * Where the worker's server should listen on the internal hop when it can: the path
	 * of a Unix domain socket (absent with {@code cluster.front-door.internal-hop=tcp}).
	 */
	public static final String HOP_SOCKET = "CLUSTER_HOP_SOCKET";

	/**
	 * Present ({@code true}) when the primary serves a separate management port: the
	 * worker's management server then listens on a loopback port of its own.
	 */
	public static final String SEPARATE_MANAGEMENT_PORT = "CLUSTER_SEPARATE_MANAGEMENT_PORT";

	/**
	 * The loopback port the worker serves each extra port on, chosen by the primary for
	 * this launch: {@link InternalPorts} (absent without extra ports).
	 */
	public static final String EXTRA_PORTS = "CLUSTER_EXTRA_PORTS";

	/** How often, in milliseconds, the worker sends a heartbeat. */
	public static final String HEARTBEAT_INTERVAL = "CLUSTER_HEARTBEAT_INTERVAL";

	/** After how many requests the worker asks to be recycled (absent: never). */
	public static final String MAX_REQUESTS = "CLUSTER_MAX_REQUESTS";

	/**
	 * The password the primary generated for this cluster start: a worker where Boot
	 * would generate a user password uses this one instead, so that one password works on
	 * every worker.
	 */
	public static final String USER_PASSWORD = "CLUSTER_USER_PASSWORD";

	/**
	 * The exit code of a worker whose application cannot start (as Gunicorn's
	 * WORKER_BOOT_ERROR): the primary does not restart it in a loop.
	 */
	public static final int CANNOT_BOOT_EXIT_CODE = 3;

	/**
	 * The one-time token a worker proves itself with: issued for this launch only, and
	 * spent by its {@code HELLO}. The app's own child processes inherit it (a JVM cannot
	 * change its environment), but cannot use it.
	 */
	public static final String TOKEN = "CLUSTER_TOKEN";

	/** Every variable above. */
	private static final Set<String> VARIABLES = Set.of(ID, COUNT, CHANNEL, SHARED_PORT, HOP_SOCKET,
			SEPARATE_MANAGEMENT_PORT, EXTRA_PORTS, HEARTBEAT_INTERVAL, MAX_REQUESTS, USER_PASSWORD, TOKEN);

	private WorkerEnvironment() {
	}

	/**
	 * Whether a property, by name, is one of the variables above as Spring Boot reads it
	 * ({@code cluster.worker.id} for {@code CLUSTER_WORKER_ID}): the primary's, not the
	 * app's.
	 */
	public static boolean isLaunchVariable(String property) {
		return VARIABLES.contains(property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT));
	}

}
