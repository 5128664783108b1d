package dev.bootcluster.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The loopback port a worker serves each extra port on
 * ({@code cluster.front-door.extra-ports}), as it crosses the worker's environment
 * ({@link WorkerEnvironment#EXTRA_PORTS}): {@code grpc=41234,echo=41235}. The primary
 * picks them for each launch; names are validated before (letters, digits and '-'), so
 * neither separator can occur in one.
 * <p>
 * Threads: stateless.
 */
public final class InternalPorts {

	private InternalPorts() {
	}

	public static String encode(Map<String, Integer> ports) {
		return ports.entrySet()
			.stream()
			.map((port) -> port.getKey() + "=" + port.getValue())
			.collect(Collectors.joining(","));
	}

	/** The ports by name, in the order given; none for an empty or absent value. */
	public static Map<String, Integer> decode(String text) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		for (String entry : text.split(",")) {
			int equals = entry.indexOf('=');
			if (equals > 0) {
				ports.put(entry.substring(0, equals), Integer.parseInt(entry.substring(equals + 1)));
			}
		}
		return ports;
	}

}
