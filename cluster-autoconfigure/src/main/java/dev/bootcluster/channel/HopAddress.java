package dev.bootcluster.channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Where a worker's server listens on the internal hop, as it crosses the channel: a
 * loopback port ({@code 8123}), or the path of a Unix domain socket
 * ({@code unix:/tmp/boot-cluster-…/worker-1-1.sock}).
 */
public final class HopAddress {

	private static final String UNIX = "unix:";

	private HopAddress() {
	}

	public static String of(int loopbackPort) {
		return Integer.toString(loopbackPort);
	}

	public static String of(Path unixSocket) {
		return UNIX + unixSocket;
	}

	/** The address to connect to, or {@code null} when the worker has no such server. */
	public static @Nullable SocketAddress parse(String text) {
		if (text.startsWith(UNIX)) {
			return UnixDomainSocketAddress.of(text.substring(UNIX.length()));
		}
		int port = Integer.parseInt(text);
		return (port > 0) ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port) : null;
	}

}
