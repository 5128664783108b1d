package dev.bootcluster.frontdoor;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The primary's public side: it owns the listening sockets for the cluster's whole life,
 * so a worker restart never closes them, and relays every connection to a ready worker
 * (bytes, with HTTP/1.x framing parsed to move keep-alive clients between workers
 * safely).
 * <p>
 * Threads: the arbiter thread binds, starts, routes and closes; the relay loops' threads
 * do all the I/O.
 */
public final class FrontDoor implements Closeable {

	private static final int BACKLOG = 1024;

	private final List<PublicPort> ports;

	/** The relayed ports and their listening sockets. */
	private final Map<PublicPort, ServerSocketChannel> listeners;

	/**
	 * With the 'os' policy: the server port, held (bound, not listening) for the workers
	 * to share, and its {@link PortLock}.
	 */
	private final List<Closeable> reservations;

	private final Routes routes;

	private final RelayLoop[] loops;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicInteger nextLoop = new AtomicInteger();

	private final Admission admission;

	private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

	private FrontDoor(List<PublicPort> ports, Map<PublicPort, ServerSocketChannel> listeners,
			List<Closeable> reservations, SchedulingPolicy policy, Duration queueTimeout, Duration idleTimeout,
			int maxConnections, int maxHeaderSize) {
		this.ports = ports;
		this.listeners = listeners;
		this.reservations = reservations;
		this.routes = new Routes(policy.scheduler());
		this.admission = new Admission(maxConnections);
		this.loops = new RelayLoop[Math.max(1, Runtime.getRuntime().availableProcessors() / 2)];
		for (int i = 0; i < this.loops.length; i++) {
			this.loops[i] = new RelayLoop(this.routes, queueTimeout.toNanos(), idleTimeout.toNanos(), this.admission,
					this.failure, maxHeaderSize);
		}
	}

	/**
	 * Binds every public port, before any worker exists. With the 'os' policy the server
	 * port is only reserved, with SO_REUSEPORT, for the workers to listen on themselves.
	 * At most {@code maxConnections} client connections are relayed at once; more wait in
	 * the listen backlog.
	 * @throws PortInUseException if another process holds one of them
	 */
	public static FrontDoor bind(List<PublicPort> ports, SchedulingPolicy policy, Duration queueTimeout,
			Duration idleTimeout, int maxConnections, int maxHeaderSize) throws IOException {
		Map<PublicPort, ServerSocketChannel> listeners = new LinkedHashMap<>();
		List<Closeable> reservations = new ArrayList<>();
		List<PublicPort> bound = new ArrayList<>();
		try {
			for (PublicPort port : ports) {
				NetworkChannel channel;
				if (policy == SchedulingPolicy.OS && port.kind().equals(PortKind.SERVER)) {
					channel = SocketChannel.open().setOption(StandardSocketOptions.SO_REUSEPORT, true);
					reservations.add(channel);
				}
				else {
					channel = ServerSocketChannel.open();
				}
				try {
					if (channel instanceof ServerSocketChannel listener) {
						listener.bind(port.socketAddress(), BACKLOG).configureBlocking(false);
					}
					else {
						channel.bind(port.socketAddress());
					}
				}
				catch (BindException ex) {
					channel.close();
					throw new PortInUseException(port, ex);
				}
				PublicPort actual = new PublicPort(port.kind(), port.address(),
						((InetSocketAddress) channel.getLocalAddress()).getPort());
				bound.add(actual);
				if (reservations.contains(channel)) {
					reservations.add(PortLock.take(actual));
				}
				if (channel instanceof ServerSocketChannel listener) {
					listeners.put(actual, listener);
				}
			}
		}
		catch (IOException ex) {
			listeners.values().forEach(FrontDoor::closeQuietly);
			reservations.forEach(FrontDoor::closeQuietly);
			throw ex;
		}
		return new FrontDoor(bound, listeners, reservations, policy, queueTimeout, idleTimeout, maxConnections,
				maxHeaderSize);
	}

	/** The ports as bound: a port given as 0 reads as the one the system chose. */
	public List<PublicPort> ports() {
		return this.ports;
	}

	public int port(PortKind kind) {
		return this.ports.stream().filter((port) -> port.kind().equals(kind)).findFirst().orElseThrow().port();
	}

	public void start() throws IOException {
		RelayLoop acceptingLoop = this.loops[0];
		List<SelectionKey> keys = new ArrayList<>();
		for (Map.Entry<PublicPort, ServerSocketChannel> listener : this.listeners.entrySet()) {
			keys.add(listener.getValue()
				.register(acceptingLoop.selector(), SelectionKey.OP_ACCEPT,
						new Acceptor(listener.getValue(), listener.getKey().kind(), this::nextLoop, this.admission)));
		}
		this.admission.acceptOn(acceptingLoop, keys);
		for (int i = 0; i < this.loops.length; i++) {
			Thread thread = new Thread(this.loops[i], "cluster-front-door-" + (i + 1));
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	/** The most client connections relayed at once. */
	public int maxConnections() {
		return this.admission.maxConnections();
	}

	/**
	 * Completes with the cause if a relay loop died (a failure no connection's guard
	 * could contain): the front door no longer serves every connection, and the cluster
	 * should stop.
	 */
	public CompletableFuture<Throwable> failure() {
		return this.failure;
	}

	/** Sends new connections to these workers from now on. */
	public void route(List<Backend> backends) {
		this.routes.update(backends);
		for (RelayLoop loop : this.loops) {
			loop.execute(loop::retryWaiting);
		}
	}

	/** Closes the public ports; connections already relayed go on. */
	public void stopAccepting() {
		this.loops[0].execute(() -> this.listeners.values().forEach(FrontDoor::closeQuietly));
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

	/**
	 * Requests lost with their worker since the start: answered {@code 502 Bad Gateway},
	 * or cut short mid-response. Never sent to a second worker.
	 */
	public long failedRequests() {
		long failed = 0;
		for (RelayLoop loop : this.loops) {
			failed += loop.failedRequests();
		}
		return failed;
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
		this.listeners.values().forEach(FrontDoor::closeQuietly);
		this.reservations.forEach(FrontDoor::closeQuietly);
	}

	private static void closeQuietly(Closeable channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
	}

}
