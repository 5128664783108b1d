package dev.bootcluster.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;

/**
 * The ports the primary owns for the whole cluster, read and validated from the same
 * properties a single Spring Boot process would bind:
 * {@code server.port}/{@code server.address}, and
 * {@code management.server.port}/{@code management.server.address} when actuator has a
 * port of its own (Boot's own rule: set, not negative, and not the server port unless 0);
 * then the app's own extra ports ({@code cluster.front-door.extra-ports}, entries
 * {@code name=port}) on the server's address.
 */
final class PublicPorts {

	private static final String PORT_RANGE = "0 (any free port) or a port from 1 to 65535";

	static final String EXTRA_PORTS = "cluster.front-door.extra-ports";

	/**
	 * An extra port's name: it becomes part of a property name,
	 * {@code cluster.worker.port.<name>}.
	 */
	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

	private static final String EXTRA_PORTS_ALLOWED = "entries 'name=port', such as 'grpc=9090': each name once, "
			+ "lower-case letters, digits and '-' (not 'server' or 'management'), each port " + PORT_RANGE
			+ ", not server.port, management.server.port or another extra port's";

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
		ports.addAll(extraPorts(environment, ports));
		return ports;
	}

	/** The extra ports, each checked against the ports before it. */
	private static List<PublicPort> extraPorts(Environment environment, List<PublicPort> webPorts) {
		List<PublicPort> ports = new ArrayList<>(webPorts);
		InetAddress address = webPorts.get(0).address();
		for (String entry : Binder.get(environment)
			.bind(EXTRA_PORTS, Bindable.listOf(String.class))
			.orElse(List.of())) {
			PublicPort port = extraPort(entry.trim(), address);
			boolean taken = ports.stream()
				.anyMatch((other) -> other.kind().equals(port.kind())
						|| (port.port() != 0 && other.port() == port.port()));
			if (taken) {
				throw new InvalidClusterPropertyException(EXTRA_PORTS, entry, EXTRA_PORTS_ALLOWED);
			}
			ports.add(port);
		}
		return ports.subList(webPorts.size(), ports.size());
	}

	private static PublicPort extraPort(String entry, @Nullable InetAddress address) {
		int equals = entry.indexOf('=');
		String name = (equals > 0) ? entry.substring(0, equals).trim() : "";
		String port = entry.substring(equals + 1).trim();
		if (!NAME.matcher(name).matches() || PortKind.extra(name).http() || !port.matches("\\d{1,5}")
				|| Integer.parseInt(port) > 65535) {
			throw new InvalidClusterPropertyException(EXTRA_PORTS, entry, EXTRA_PORTS_ALLOWED);
		}
		return new PublicPort(PortKind.extra(name), address, Integer.parseInt(port));
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
