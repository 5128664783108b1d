package dev.bootcluster.worker;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's NIO endpoint on the internal hop, on loopback TCP or a Unix domain socket. It
 * reads the PROXY protocol v2 header the primary sends first on every connection before
 * Tomcat takes the connection, and gives Tomcat's socket wrapper the addresses in it: the
 * application sees the real client's address and port, and the public address and port
 * the client connected to — what Jetty and Reactor Netty report behind a PROXY header. A
 * connection without a header within a second is closed.
 * <p>
 * Threads: Tomcat's acceptor thread reads the header and registers the connection (into
 * {@link #connections}, before any other thread can read from it); {@link #accepted} and
 * {@link #waitForHeader} are that thread's alone.
 */
public class ProxyProtocolNioEndpoint extends NioEndpoint {

	private static final long HEADER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

	private @Nullable ProxiedConnection accepted;

	private @Nullable Selector waitForHeader;

	public ProxyProtocolNioEndpoint() {
		this.connections = new ConcurrentHashMap<>() {

			@Override
			public SocketWrapperBase<NioChannel> put(SocketChannel socket, SocketWrapperBase<NioChannel> wrapper) {
				if (ProxyProtocolNioEndpoint.this.accepted != null) {
					ProxyProtocolNioEndpoint.this.accepted.applyTo(wrapper);
				}
				return super.put(socket, wrapper);
			}

		};
	}

	@Override
	protected boolean setSocketOptions(SocketChannel socket) {
		try {
			this.accepted = readHeader(socket);
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
		try {
			return super.setSocketOptions(socket);
		}
		finally {
			this.accepted = null;
		}
	}

	/** Reads exactly the header, no byte of the request behind it. */
	private ProxiedConnection readHeader(SocketChannel socket) throws IOException {
		long deadline = System.nanoTime() + HEADER_TIMEOUT_NANOS;
		socket.configureBlocking(false);
		ByteBuffer fixed = ByteBuffer.allocate(ProxiedConnection.FIXED_LENGTH);
		readFully(socket, fixed, deadline);
		ByteBuffer addresses = ByteBuffer.allocate(ProxiedConnection.addressLength(fixed));
		readFully(socket, addresses, deadline);
		return ProxiedConnection.read(fixed, addresses);
	}

	private void readFully(SocketChannel socket, ByteBuffer buffer, long deadline) throws IOException {
		// The primary writes the header as it connects, so it is nearly always there
		// already.
		while (buffer.hasRemaining()) {
			int read = socket.read(buffer);
			if (read < 0) {
				throw new EOFException("Closed before a PROXY protocol header");
			}
			if (read == 0) {
				awaitBytes(socket, deadline);
			}
		}
	}

	private void awaitBytes(SocketChannel socket, long deadline) throws IOException {
		long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
		if (remaining <= 0) {
			throw new SocketTimeoutException("No PROXY protocol header within a second");
		}
		if (this.waitForHeader == null) {
			this.waitForHeader = Selector.open();
		}
		SelectionKey key = socket.register(this.waitForHeader, SelectionKey.OP_READ);
		try {
			this.waitForHeader.select(remaining);
		}
		finally {
			key.cancel();
			// Deregisters now, not at some later select.
			this.waitForHeader.selectNow();
		}
	}

	@Override
	public void unbind() throws Exception {
		super.unbind();
		if (this.waitForHeader != null) {
			this.waitForHeader.close();
		}
	}

}
