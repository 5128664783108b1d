package dev.bootcluster.worker;

import java.util.Map;

/**
 * Where this worker serves the application's extra ports
 * ({@code cluster.front-door.extra-ports}): a loopback port for each, by name, chosen by
 * the primary for this launch. The app's own server binds it; the primary fronts it on
 * the public port. The same ports are in {@code cluster.worker.port.<name>}, for
 * {@code ${…}} in the app's configuration.
 * <p>
 * Threads: immutable.
 */
public final class ExtraPorts {

	private final Map<String, Integer> ports;

	public ExtraPorts(Map<String, Integer> ports) {
		this.ports = Map.copyOf(ports);
	}

	/**
	 * The loopback port to serve extra port {@code name} on.
	 * @throws IllegalArgumentException if the cluster has no such extra port
	 */
	public int port(String name) {
		Integer port = this.ports.get(name);
		if (port == null) {
			throw new IllegalArgumentException("No extra port '" + name
					+ "' in cluster.front-door.extra-ports (there are " + this.ports.keySet() + ")");
		}
		return port;
	}

	/** Every extra port's loopback port, by name. */
	public Map<String, Integer> ports() {
		return this.ports;
	}

}
