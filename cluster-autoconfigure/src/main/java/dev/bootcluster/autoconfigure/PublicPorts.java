package dev.bootcluster.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;

import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;

/**
 * The ports the primary owns for the whole cluster, read and validated from the same
 * properties a single Spring Boot process would bind:
 * {@code server.port}/{@code server.address}, and
 * {@code management.server.port}/{@code management.server.address} when actuator has a
 * port of its own (Boot's own rule: set, not negative, and not the server port unless 0).
 */
final class PublicPorts {

	private static final String PORT_RANGE = "0 (any free port) or a port from 1 to 65535";

	private PublicPorts() {
	}

	static List<PublicPort> of(Environment environment) {
		List<PublicPort> ports = new ArrayList<>();
		int serverPort = port(environment, "server.port", 8080);
		if (serverPort < 0) {
			throw new InvalidClusterPropertyException("server.port", serverPort,
					"a cluster needs a web server: " + PORT_RANGE);
		}
		ports.add(new PublicPort(PortKind.SERVER, address(environment, "server.address"), serverPort));
		if (separateManagementPort(environment)) {
			ports.add(new PublicPort(PortKind.MANAGEMENT, address(environment, "management.server.address"),
					port(environment, "management.server.port", 0)));
		}
		return ports;
	}

	static boolean separateManagementPort(Environment environment) {
		Integer management = environment.getProperty("management.server.port", Integer.class);
		if (management == null || management < 0) {
			return false;
		}
		return management == 0 || management != port(environment, "server.port", 8080);
	}

	private static int port(Environment environment, String property, int defaultPort) {
		try {
			int port = environment.getProperty(property, Integer.class, defaultPort);
			if (port > 65535) {
				throw new InvalidClusterPropertyException(property, port, PORT_RANGE);
			}
			return port;
		}
		catch (ConversionException ex) {
			throw new InvalidClusterPropertyException(property, environment.getProperty(property), PORT_RANGE);
		}
	}

	private static @Nullable InetAddress address(Environment environment, String property) {
		String address = environment.getProperty(property);
		if (address == null || address.isBlank()) {
			return null;
		}
		try {
			return InetAddress.getByName(address.trim());
		}
		catch (UnknownHostException ex) {
			throw new InvalidClusterPropertyException(property, address,
					"an IP address or a host name of this machine");
		}
	}

}
