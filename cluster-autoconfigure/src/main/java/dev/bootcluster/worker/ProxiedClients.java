package dev.bootcluster.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For Tomcat, which cannot read the PROXY protocol itself: the real client address of
 * each connection from the primary, by the primary's port on the internal hop (unique
 * while the connection lives, so the table never holds more than one entry a port).
 * {@link ProxyProtocolNioEndpoint} fills it before Tomcat sees the connection;
 * {@link ProxiedClientValve} reads it for each request.
 */
final class ProxiedClients {

	private static final Map<Integer, String> BY_PRIMARY_PORT = new ConcurrentHashMap<>();

	private ProxiedClients() {
	}

	static void put(int primaryPort, String clientAddress) {
		BY_PRIMARY_PORT.put(primaryPort, clientAddress);
	}

	static String get(int primaryPort) {
		return BY_PRIMARY_PORT.get(primaryPort);
	}

}
