package dev.bootcluster.worker;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's NIO endpoint on the internal hop, reading the PROXY protocol v2 header the
 * primary sends first on every connection, so that the application sees the real
 * client's address (through {@link ProxiedClientValve}). The header is read before
 * Tomcat takes the connection; a connection without one, within a second, is closed.
 */
public class ProxyProtocolNioEndpoint extends NioEndpoint {

	private static final byte[] SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	private static final int HEADER_TIMEOUT_MILLIS = 1000;

	@Override
	protected boolean setSocketOptions(SocketChannel socket) {
		try {
			int primaryPort = ((InetSocketAddress) socket.getRemoteAddress()).getPort();
			ProxiedClients.put(primaryPort, readClientAddress(socket));
		}
		catch (IOException ex) {
			try {
				socket.close();
			}
			catch (IOException closing) {
				// it is gone either way
			}
			return false;
		}
		return super.setSocketOptions(socket);
	}

	/** Reads the header (the channel is still blocking here) and returns the client's address. */
	private static String readClientAddress(SocketChannel socket) throws IOException {
		socket.socket().setSoTimeout(HEADER_TIMEOUT_MILLIS);
		// Not closed: closing the stream would close the connection.
		DataInputStream in = new DataInputStream(socket.socket().getInputStream());
		byte[] fixed = new byte[16];
		in.readFully(fixed);
		if (!Arrays.equals(fixed, 0, 12, SIGNATURE, 0, 12) || fixed[12] != 0x21) {
			throw new IOException("No PROXY protocol v2 header from the primary");
		}
		int length = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
		byte[] addresses = new byte[length];
		in.readFully(addresses);
		int addressLength = switch (fixed[13]) {
			case 0x11 -> 4;
			case 0x21 -> 16;
			default -> throw new IOException("Unsupported PROXY protocol address family " + fixed[13]);
		};
		return InetAddress.getByAddress(Arrays.copyOf(addresses, addressLength)).getHostAddress();
	}

}
