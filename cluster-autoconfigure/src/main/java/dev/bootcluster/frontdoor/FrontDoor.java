package dev.bootcluster.frontdoor;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The primary's public side: it owns the listening sockets for the cluster's whole life,
 * so a worker restart never closes them, and relays every connection (bytes, not HTTP)
 * to a ready worker.
 * <p>
 * Threads: the arbiter thread binds, starts, routes and closes; the relay loops' threads
 * do all the I/O.
 */
public final class FrontDoor implements Closeable {

	private static final int BACKLOG = 1024;

	private final List<PublicPort> ports;

	private final List<ServerSocketChannel> listeners;

	private final Routes routes;

	private final RelayLoop[] loops;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicInteger nextLoop = new AtomicInteger();

	private FrontDoor(List<PublicPort> ports, List<ServerSocketChannel> listeners, SchedulingPolicy policy,
			Duration queueTimeout) {
		this.ports = ports;
		this.listeners = listeners;
		this.routes = new Routes(policy.scheduler());
		this.loops = new RelayLoop[Math.max(1, Runtime.getRuntime().availableProcessors() / 2)];
		for (int i = 0; i < this.loops.length; i++) {
			this.loops[i] = new RelayLoop(this.routes, queueTimeout.toNanos());
		}
	}

	/**
	 * Binds every public port, before any worker exists.
	 * @throws PortInUseException if another process holds one of them
	 */
	public static FrontDoor bind(List<PublicPort> ports, SchedulingPolicy policy, Duration queueTimeout)
			throws IOException {
		List<ServerSocketChannel> listeners = new ArrayList<>();
		List<PublicPort> bound = new ArrayList<>();
		try {
			for (PublicPort port : ports) {
				ServerSocketChannel listener = ServerSocketChannel.open();
				listeners.add(listener);
				try {
					listener.bind(port.socketAddress(), BACKLOG);
				}
				catch (BindException ex) {
					throw new PortInUseException(port, ex);
				}
				listener.configureBlocking(false);
				int actual = ((InetSocketAddress) listener.getLocalAddress()).getPort();
				bound.add(new PublicPort(port.kind(), port.address(), actual));
			}
		}
		catch (IOException ex) {
			for (ServerSocketChannel listener : listeners) {
				listener.close();
			}
			throw ex;
		}
		return new FrontDoor(bound, listeners, policy, queueTimeout);
	}

	/** The ports as bound: a port given as 0 reads as the one the system chose. */
	public List<PublicPort> ports() {
		return this.ports;
	}

	public void start() throws IOException {
		RelayLoop acceptingLoop = this.loops[0];
		for (int i = 0; i < this.listeners.size(); i++) {
			ServerSocketChannel listener = this.listeners.get(i);
			listener.register(acceptingLoop.selector(), SelectionKey.OP_ACCEPT,
					new Acceptor(listener, this.ports.get(i).kind(), this::nextLoop));
		}
		for (int i = 0; i < this.loops.length; i++) {
			Thread thread = new Thread(this.loops[i], "cluster-front-door-" + (i + 1));
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	/** Sends new connections to these workers from now on. */
	public void route(List<Backend> backends) {
		this.routes.update(backends);
		for (RelayLoop loop : this.loops) {
			loop.execute(loop::retryWaiting);
		}
	}

	/** The workers that get new connections now. */
	public List<Backend> routes() {
		return this.routes.ready();
	}

	/** Closes the public ports; connections already relayed go on. */
	public void stopAccepting() {
		this.loops[0].execute(() -> this.listeners.forEach(FrontDoor::closeQuietly));
	}

	/**
	 * Waits until no connection is relayed any more, at most {@code timeout}: after the
	 * last worker stopped, its last bytes may still be on their way to clients.
	 */
	public void awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (openConnections() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
	}

	private int openConnections() {
		int open = 0;
		for (RelayLoop loop : this.loops) {
			open += loop.openConnections();
		}
		return open;
	}

	private RelayLoop nextLoop() {
		return this.loops[Math.floorMod(this.nextLoop.getAndIncrement(), this.loops.length)];
	}

	@Override
	public void close() {
		for (RelayLoop loop : this.loops) {
			loop.stop();
		}
		for (Thread thread : this.threads) {
			try {
				thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.listeners.forEach(FrontDoor::closeQuietly);
	}

	private static void closeQuietly(ServerSocketChannel listener) {
		try {
			listener.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
	}

}
