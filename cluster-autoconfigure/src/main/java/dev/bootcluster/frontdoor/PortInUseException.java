package dev.bootcluster.frontdoor;

import java.io.IOException;

/**
 * A public port that the primary could not bind because another process holds it.
 */
public class PortInUseException extends IOException {

	private final PublicPort port;

	PortInUseException(PublicPort port, IOException cause) {
		super("Port " + port.port() + " is already in use", cause);
		this.port = port;
	}

	public PublicPort getPort() {
		return this.port;
	}

}
