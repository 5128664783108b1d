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
 * Accepts client connections on one public port, as far as {@link Admission} allows, and
 * hands each to a relay loop. A connection that cannot be set up is closed at once.
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

	private final Admission admission;

	Acceptor(ServerSocketChannel server, PortKind kind, Supplier<RelayLoop> loops, Admission admission) {
		this.server = server;
		this.kind = kind;
		this.loops = loops;
		this.admission = admission;
	}

	@Override
	public void ready(SelectionKey key) {
		for (int i = 0; i < BATCH && key.isValid() && acceptOne(); i++) {
			// accepted one
		}
	}

	/**
	 * Accepts what waits in the backlog, as far as {@link Admission} allows, before the
	 * listening socket closes: closing would reset it.
	 */
	void drain() {
		while (acceptOne()) {
			// accepted one
		}
	}

	/** Accepts one connection, if admitted and there is one. */
	private boolean acceptOne() {
		if (!this.admission.tryAdmit()) {
			return false;
		}
		SocketChannel client;
		try {
			client = this.server.accept();
		}
		catch (IOException ex) {
			this.admission.notAccepted();
			if (!this.admission.outOfDescriptors(ex)) {
				logger.debug("Could not accept a connection", ex);
			}
			return false;
		}
		if (client == null) {
			this.admission.notAccepted();
			return false;
		}
		hand(client);
		return true;
	}

	private void hand(SocketChannel client) {
		try {
			client.configureBlocking(false);
			client.setOption(StandardSocketOptions.TCP_NODELAY, true);
			InetSocketAddress remote = (InetSocketAddress) client.getRemoteAddress();
			InetSocketAddress local = (InetSocketAddress) client.getLocalAddress();
			RelayLoop loop = this.loops.get();
			loop.execute(() -> start(new Relay(loop, client, remote, local, this.kind)));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not set up an accepted connection; closed it", ex);
			close(client);
			this.admission.release();
		}
	}

	/**
	 * On the connection's loop: a relay that fails to start is closed, like any other.
	 */
	private static void start(Relay relay) {
		try {
			relay.start();
		}
		catch (RuntimeException ex) {
			relay.close();
			throw ex;
		}
	}

	private static void close(SocketChannel client) {
		try {
			client.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
	}

}
