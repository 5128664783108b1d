package dev.bootcluster.frontdoor;

/**
 * Which of a worker's web servers a public port leads to.
 */
public enum PortKind {

	/** The application's server: {@code server.port}. */
	SERVER,

	/** Actuator's own server, when {@code management.server.port} is a separate port. */
	MANAGEMENT

}
