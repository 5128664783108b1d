package dev.bootcluster.frontdoor;

/**
 * Which of a worker's servers a public port leads to: the application's web server,
 * actuator's own, or an extra port the application serves itself
 * ({@code cluster.front-door.extra-ports}), by its name.
 * <p>
 * Threads: immutable.
 *
 * @param name {@code server}, {@code management}, or the extra port's name
 */
public record PortKind(String name) {

	/** The application's server: {@code server.port}. */
	public static final PortKind SERVER = new PortKind("server");

	/** Actuator's own server, when {@code management.server.port} is a separate port. */
	public static final PortKind MANAGEMENT = new PortKind("management");

	/** An extra port of the application's own: any protocol, relayed as plain bytes. */
	public static PortKind extra(String name) {
		return new PortKind(name);
	}

	/**
	 * Whether the port speaks HTTP, so that the relay may parse its framing: the web
	 * servers do; an extra port's protocol is the app's, unknown to the front door.
	 */
	public boolean http() {
		return equals(SERVER) || equals(MANAGEMENT);
	}

}
