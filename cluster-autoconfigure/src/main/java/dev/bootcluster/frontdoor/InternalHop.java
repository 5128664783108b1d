package dev.bootcluster.frontdoor;

/**
 * How the front door reaches the workers: {@code cluster.front-door.internal-hop}.
 */
public enum InternalHop {

	/**
	 * A Unix domain socket where the worker's server can listen on one (Tomcat, and Jetty
	 * with {@code jetty-unixdomain-server}), loopback TCP otherwise. Cheaper to connect
	 * through, so faster for short connections (see the README's measurement).
	 */
	UNIX_SOCKET,

	/** Loopback TCP to every worker. */
	TCP;

	/** The value as written in properties, such as {@code unix-socket}. */
	public String value() {
		return name().toLowerCase().replace('_', '-');
	}

}
