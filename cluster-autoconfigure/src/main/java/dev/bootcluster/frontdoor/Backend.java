package dev.bootcluster.frontdoor;

import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ready worker as the front door sees it: where its servers listen on the internal
 * hop (loopback TCP or a Unix domain socket), and how many client connections are relayed to it. A new worker process is a new
 * Backend, so a retry never mistakes a replacement for the worker that refused.
 * <p>
 * Threads: immutable but for the counters, which relay loops update.
 */
public final class Backend {

	private final int workerId;

	private final long pid;

	private final Map<PortKind, SocketAddress> addresses;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicLong total = new AtomicLong();

	private final AtomicInteger connecting = new AtomicInteger();

	private volatile boolean retiring;

	/** The ports whose server reads a PROXY protocol header. */
	private final Set<PortKind> proxyProtocol;

	public Backend(int workerId, long pid, Map<PortKind, ? extends SocketAddress> addresses) {
		this(workerId, pid, addresses, Set.of());
	}

	public Backend(int workerId, long pid, Map<PortKind, ? extends SocketAddress> addresses,
			Set<PortKind> proxyProtocol) {
		this.workerId = workerId;
		this.pid = pid;
		this.addresses = Map.copyOf(addresses);
		this.proxyProtocol = Set.copyOf(proxyProtocol);
	}

	public int workerId() {
		return this.workerId;
	}

	public long pid() {
		return this.pid;
	}

	public int activeConnections() {
		return this.active.get();
	}

	public long totalConnections() {
		return this.total.get();
	}

	/**
	 * Marks this worker as leaving on purpose (a reload, or its own graceful shutdown): its
	 * connections move to another worker at their next request, and a request it closes
	 * without answering is sent again elsewhere. A crashed worker is never retiring.
	 */
	public void retire() {
		this.retiring = true;
	}

	boolean isRetiring() {
		return this.retiring;
	}

	/** Connections the front door is still opening to this worker: it has not taken them yet. */
	int connecting() {
		return this.connecting.get();
	}

	void connectStarted() {
		this.connecting.incrementAndGet();
	}

	void connectEnded() {
		this.connecting.decrementAndGet();
	}

	boolean readsProxyProtocol(PortKind kind) {
		return this.proxyProtocol.contains(kind);
	}

	SocketAddress address(PortKind kind) {
		return this.addresses.get(kind);
	}

	void opened() {
		this.active.incrementAndGet();
		this.total.incrementAndGet();
	}

	void closed() {
		this.active.decrementAndGet();
	}

	@Override
	public String toString() {
		return "worker " + this.workerId + " (pid " + this.pid + ")";
	}

}
