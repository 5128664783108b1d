package dev.bootcluster.frontdoor;

import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

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

	/** An upgrade's ports that the predecessor serves until this primary listens. */
	private final List<PublicPort> deferred;

	/** The acceptor of each listening socket, once accepting; the accepting loop's. */
	private final Map<ServerSocketChannel, Acceptor> acceptors = new LinkedHashMap<>();

	/** After a hand-over, new and moved connections go to the new primary only. */
	private volatile boolean handedOver;

	private final Routes routes;

	private final RelayLoop[] loops;

	private final Duration idleTimeout;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicInteger nextLoop = new AtomicInteger();

	private final Admission admission;

	private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

	private FrontDoor(List<PublicPort> ports, Map<PublicPort, ServerSocketChannel> listeners,
			List<Closeable> reservations, List<PublicPort> deferred, SchedulingPolicy policy, Duration queueTimeout,
			Duration idleTimeout, int maxConnections, int maxHeaderSize) {
		this.ports = ports;
		this.listeners = listeners;
		this.reservations = reservations;
		this.deferred = new ArrayList<>(deferred);
		this.routes = new Routes(policy.scheduler());
		this.admission = new Admission(maxConnections);
		this.idleTimeout = idleTimeout;
		this.loops = new RelayLoop[Math.max(1, Runtime.getRuntime().availableProcessors() / 2)];
		for (int i = 0; i < this.loops.length; i++) {
			this.loops[i] = new RelayLoop(this.routes, queueTimeout.toNanos(), idleTimeout.toNanos(), this.admission,
					this.failure, maxHeaderSize);
		}
	}

	/**
	 * Binds every public port, before any worker exists, with SO_REUSEPORT and under a
	 * {@link PortLock}. With the 'os' policy the server port is only reserved, for the
	 * workers to listen on themselves. At most {@code maxConnections} client connections
	 * are relayed at once; more wait in the listen backlog.
	 * @throws PortInUseException if another process holds one of them
	 */
	public static FrontDoor bind(List<PublicPort> ports, SchedulingPolicy policy, Duration queueTimeout,
			Duration idleTimeout, int maxConnections, int maxHeaderSize) throws IOException {
		return bind(ports, policy, queueTimeout, idleTimeout, maxConnections, maxHeaderSize, null);
	}

	/**
	 * Binds every public port as
	 * {@link #bind(List, SchedulingPolicy, Duration, Duration, int, int)} does; the new
	 * primary of an upgrade ({@code predecessor} is the pid of the one it upgrades, else
	 * null) binds the ports the predecessor serves only when it {@link #listen listens},
	 * once its workers are ready: till then they all go to the predecessor.
	 * @throws PortInUseException if another process holds one of them
	 */
	public static FrontDoor bind(List<PublicPort> ports, SchedulingPolicy policy, Duration queueTimeout,
			Duration idleTimeout, int maxConnections, int maxHeaderSize, @Nullable Long predecessor)
			throws IOException {
		Map<PublicPort, ServerSocketChannel> listeners = new LinkedHashMap<>();
		List<Closeable> reservations = new ArrayList<>();
		List<PublicPort> bound = new ArrayList<>();
		List<PublicPort> deferred = new ArrayList<>();
		try {
			for (PublicPort port : ports) {
				NetworkChannel channel;
				if (policy == SchedulingPolicy.OS && port.kind().equals(PortKind.SERVER)) {
					channel = SocketChannel.open();
				}
				else {
					channel = ServerSocketChannel.open();
				}
				reservations.add(channel);
				if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
					channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
				}
				// Locked before it is bound: a listener bound in vain would take
				// connections.
				if (port.port() != 0) {
					reservations.add(PortLock.take(port, predecessor));
				}
				PublicPort actual = port;
				if (predecessor != null && port.port() != 0 && channel instanceof ServerSocketChannel) {
					deferred.add(port);
				}
				else {
					bind(channel, port);
					actual = new PublicPort(port.kind(), port.address(),
							((InetSocketAddress) channel.getLocalAddress()).getPort());
					if (port.port() == 0) {
						reservations.add(PortLock.take(actual, null));
					}
				}
				bound.add(actual);
				if (channel instanceof ServerSocketChannel listener) {
					reservations.remove(channel);
					listeners.put(actual, listener);
				}
			}
		}
		catch (IOException ex) {
			listeners.values().forEach(FrontDoor::closeQuietly);
			reservations.forEach(FrontDoor::closeQuietly);
			throw ex;
		}
		return new FrontDoor(bound, listeners, reservations, deferred, policy, queueTimeout, idleTimeout,
				maxConnections, maxHeaderSize);
	}

	private static void bind(NetworkChannel channel, PublicPort port) throws IOException {
		try {
			if (channel instanceof ServerSocketChannel listener) {
				listener.bind(port.socketAddress(), BACKLOG).configureBlocking(false);
			}
			else {
				channel.bind(port.socketAddress());
			}
		}
		catch (BindException ex) {
			throw new PortInUseException(port, ex);
		}
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
			if (!this.deferred.contains(listener.getKey())) {
				keys.add(register(listener.getKey(), listener.getValue()));
			}
		}
		this.admission.acceptOn(acceptingLoop, keys);
		for (int i = 0; i < this.loops.length; i++) {
			Thread thread = new Thread(this.loops[i], "cluster-front-door-" + (i + 1));
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	private SelectionKey register(PublicPort port, ServerSocketChannel listener) throws IOException {
		Acceptor acceptor = new Acceptor(listener, port.kind(), this::nextLoop, this.admission);
		this.acceptors.put(listener, acceptor);
		return listener.register(this.loops[0].selector(), SelectionKey.OP_ACCEPT, acceptor);
	}

	/**
	 * The new primary of an upgrade binds the ports its predecessor serves and accepts on
	 * them, next to the predecessor, which stops accepting once told.
	 * @throws PortInUseException if a port cannot be bound after all
	 */
	public void listen() throws IOException {
		Map<PublicPort, ServerSocketChannel> ports = new LinkedHashMap<>();
		for (PublicPort port : this.deferred) {
			ServerSocketChannel listener = Objects.requireNonNull(this.listeners.get(port));
			bind(listener, port);
			ports.put(port, listener);
		}
		this.deferred.clear();
		this.loops[0].execute(() -> {
			for (Map.Entry<PublicPort, ServerSocketChannel> port : ports.entrySet()) {
				try {
					this.admission.acceptOn(this.loops[0], List.of(register(port.getKey(), port.getValue())));
				}
				catch (IOException ex) {
					this.failure.complete(ex);
				}
			}
		});
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
		if (this.handedOver) {
			return;
		}
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
	 * Hands the ports over to the new primary of an upgrade, which listens on them too:
	 * the listening sockets accept what is in their backlog, then close (what reaches
	 * them between the last accept and the close is reset, unless Linux's
	 * {@code net.ipv4.tcp_migrate_req} is 1); then new connections, and the keep-alive
	 * clients that retiring workers let go, go to {@code successor} (the new primary, on
	 * the same ports over loopback).
	 * @return completes once connections go to the new primary
	 */
	public CompletableFuture<Void> handOver(long successor) {
		Map<PortKind, SocketAddress> addresses = new LinkedHashMap<>();
		for (PublicPort port : this.listeners.keySet()) {
			InetAddress address = port.address();
			addresses.put(port.kind(), new InetSocketAddress(
					(address == null || address.isAnyLocalAddress()) ? InetAddress.getLoopbackAddress() : address,
					port.port()));
		}
		this.handedOver = true;
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.loops[0].execute(() -> {
			this.acceptors.values().forEach(Acceptor::drain);
			this.listeners.values().forEach(FrontDoor::closeQuietly);
			// Only now: a connection to the port could have reached this primary's own
			// listener.
			this.routes.update(List.of(new Backend(0, successor, addresses)));
			for (RelayLoop loop : this.loops) {
				loop.execute(loop::retryWaiting);
			}
			done.complete(null);
		});
		return done;
	}

	/**
	 * Waits until no connection is relayed any more, at most {@code timeout}: after the
	 * last worker stopped, its last bytes may still be on their way to clients.
	 */
	public void awaitIdle(Duration timeout) throws InterruptedException {
		// What it relays to the new primary after a hand-over lasts as long as its
		// clients
		// keep it.
		long deadline = System.nanoTime() + (this.handedOver ? this.idleTimeout : timeout).toNanos();
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
