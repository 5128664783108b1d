package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * A port the primary owns for the whole cluster: the server's, or actuator's own
 * management port. {@code PublicPorts}, in {@code autoconfigure}, reads them from the
 * properties a single Spring Boot process would bind.
 */
public record PublicPort(PortKind kind, @Nullable InetAddress address, int port) {

	public InetSocketAddress socketAddress() {
		return (this.address != null) ? new InetSocketAddress(this.address, this.port)
				: new InetSocketAddress(this.port);
	}

}
