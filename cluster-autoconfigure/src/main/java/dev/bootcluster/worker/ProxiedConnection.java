package dev.bootcluster.worker;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * The addresses a PROXY protocol v2 header carries: the client's, and the public address
 * it connected to. Given to Tomcat's socket wrapper before Tomcat reads the connection,
 * they are what {@code getRemoteAddr()}, {@code getRemotePort()}, {@code getLocalAddr()}
 * and {@code getLocalPort()} answer for every request on it.
 */
record ProxiedConnection(String clientAddress, int clientPort, String publicAddress, int publicPort) {

	/** The fixed part: signature, version and command, family, length. */
	static final int FIXED_LENGTH = 16;

	private static final byte[] SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	private static final byte VERSION_PROXY = 0x21;

	/** The length of the address part that follows {@code fixed}. */
	static int addressLength(ByteBuffer fixed) throws IOException {
		byte[] start = new byte[SIGNATURE.length];
		fixed.get(0, start);
		if (!Arrays.equals(start, SIGNATURE) || fixed.get(12) != VERSION_PROXY) {
			throw new IOException("No PROXY protocol v2 header from the primary");
		}
		return fixed.getShort(14) & 0xFFFF;
	}

	/** Reads the address part of a header whose fixed part is {@code fixed}. */
	static ProxiedConnection read(ByteBuffer fixed, ByteBuffer addresses) throws IOException {
		int length = switch (fixed.get(13)) {
			case 0x11 -> 4;
			case 0x21 -> 16;
			default -> throw new IOException("Unsupported PROXY protocol address family " + fixed.get(13));
		};
		if (addresses.limit() < 2 * length + 4) {
			throw new IOException("PROXY protocol header too short");
		}
		byte[] client = new byte[length];
		byte[] target = new byte[length];
		addresses.get(0, client).get(length, target);
		return new ProxiedConnection(InetAddress.getByAddress(client).getHostAddress(),
				addresses.getShort(2 * length) & 0xFFFF, InetAddress.getByAddress(target).getHostAddress(),
				addresses.getShort(2 * length + 2) & 0xFFFF);
	}

	/**
	 * Fills the wrapper's address fields, which Tomcat otherwise fills from the socket
	 * when first asked (and cannot on a Unix domain socket). No lookups: the host names
	 * are the addresses, as with Tomcat's default {@code enableLookups=false}.
	 */
	void applyTo(SocketWrapperBase<?> wrapper) {
		Fields.REMOTE_ADDR.set(wrapper, this.clientAddress);
		Fields.REMOTE_HOST.set(wrapper, this.clientAddress);
		Fields.REMOTE_PORT.set(wrapper, this.clientPort);
		Fields.LOCAL_ADDR.set(wrapper, this.publicAddress);
		Fields.LOCAL_NAME.set(wrapper, this.publicAddress);
		Fields.LOCAL_PORT.set(wrapper, this.publicPort);
	}

	/** Tomcat's protected address fields; looked up once. */
	private static final class Fields {

		static final VarHandle REMOTE_ADDR = field("remoteAddr", String.class);

		static final VarHandle REMOTE_HOST = field("remoteHost", String.class);

		static final VarHandle REMOTE_PORT = field("remotePort", int.class);

		static final VarHandle LOCAL_ADDR = field("localAddr", String.class);

		static final VarHandle LOCAL_NAME = field("localName", String.class);

		static final VarHandle LOCAL_PORT = field("localPort", int.class);

		private static VarHandle field(String name, Class<?> type) {
			try {
				return MethodHandles.privateLookupIn(SocketWrapperBase.class, MethodHandles.lookup())
					.findVarHandle(SocketWrapperBase.class, name, type);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("This Tomcat has no socket wrapper field '" + name + "'", ex);
			}
		}

	}

}
