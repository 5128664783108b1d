package dev.bootcluster.frontdoor;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A PROXY protocol v2 header (HAProxy's binary format): the first bytes the front door
 * sends on a connection to a worker whose server reads them (Jetty, Reactor Netty), so
 * that the application sees the real client's address instead of the primary's.
 */
final class ProxyHeader {

	private static final byte[] SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	/** Version 2, command PROXY. */
	private static final byte VERSION_PROXY = 0x21;

	private static final byte TCP_OVER_IPV4 = 0x11;

	private static final byte TCP_OVER_IPV6 = 0x21;

	private ProxyHeader() {
	}

	/**
	 * The header for a connection from {@code client} to the public {@code destination}.
	 */
	static ByteBuffer of(InetSocketAddress client, InetSocketAddress destination) {
		byte[] source = client.getAddress().getAddress();
		byte[] target = destination.getAddress().getAddress();
		boolean ipv4 = client.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
		if (!ipv4) {
			source = ipv6(client);
			target = ipv6(destination);
		}
		int length = source.length * 2 + 4;
		ByteBuffer header = ByteBuffer.allocate(SIGNATURE.length + 4 + length);
		header.put(SIGNATURE).put(VERSION_PROXY).put(ipv4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6).putShort((short) length);
		header.put(source).put(target).putShort((short) client.getPort()).putShort((short) destination.getPort());
		return header.flip();
	}

	/** The address as 16 bytes, an IPv4 one mapped into IPv6. */
	private static byte[] ipv6(InetSocketAddress address) {
		byte[] bytes = address.getAddress().getAddress();
		if (bytes.length == 16) {
			return bytes;
		}
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xFF;
		mapped[11] = (byte) 0xFF;
		System.arraycopy(bytes, 0, mapped, 12, 4);
		return mapped;
	}

}
