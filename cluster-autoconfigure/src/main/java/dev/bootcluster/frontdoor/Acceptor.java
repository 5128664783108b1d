package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Accepts client connections on one public port and hands each to a relay loop.
 * <p>
 * Threads: runs on the relay loop its listening socket is registered with.
 */
final class Acceptor implements RelayLoop.Handler {

	private static final Log logger = LogFactory.getLog(Acceptor.class);

	/** Accepts at most this many connections per wake-up, so relaying is not starved. */
	private static final int BATCH = 64;

	private final ServerSocketChannel server;

	private final PortKind kind;

	private final Supplier<RelayLoop> loops;

	Acceptor(ServerSocketChannel server, PortKind kind, Supplier<RelayLoop> loops) {
		this.server = server;
		this.kind = kind;
		this.loops = loops;
	}

	@Override
	public void ready(SelectionKey key) {
		for (int i = 0; i < BATCH && key.isValid(); i++) {
			try {
				SocketChannel client = this.server.accept();
				if (client == null) {
					return;
				}
				client.configureBlocking(false);
				client.setOption(StandardSocketOptions.TCP_NODELAY, true);
				InetSocketAddress remote = (InetSocketAddress) client.getRemoteAddress();
				InetSocketAddress local = (InetSocketAddress) client.getLocalAddress();
				RelayLoop loop = this.loops.get();
				loop.execute(() -> new Relay(loop, client, remote, local, this.kind).start());
			}
			catch (IOException ex) {
				logger.debug("Could not accept a connection", ex);
				return;
			}
		}
	}

}
