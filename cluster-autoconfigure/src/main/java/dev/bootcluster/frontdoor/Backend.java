package dev.bootcluster.frontdoor;

import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One ready worker as the front door sees it: where its servers listen on the internal
 * hop (loopback TCP or a Unix domain socket), and how many client connections are relayed
 * to it. A new worker process is a new Backend, so a retry never mistakes a replacement
 * for the worker that refused.
 * <p>
 * Threads: immutable but for the counters, which relay loops update, and the retiring
 * flag, which the arbiter sets.
 * <p>
 * A planned retirement stops the worker only once no request is in flight on it, so a
 * request the relay sends just as the worker stops is never lost. The relay and the
 * arbiter meet Dekker-style on two volatile fields: a relay counts a request in flight
 * <em>before</em> it checks {@link #isRetiring()}, and sends it only if the worker is not
 * retiring (else it uncounts it and takes it to another worker); the arbiter sets
 * retiring <em>before</em> it reads {@link #requestsInFlight()}. Either the relay sees
 * retiring, or the arbiter sees the request counted and waits for its answer.
 */
public final class Backend {

	private final int workerId;

	private final long pid;

	private final Map<PortKind, SocketAddress> addresses;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicLong total = new AtomicLong();

	private final AtomicInteger connecting = new AtomicInteger();

	/** Requests sent (or about to be) that have no final response head yet. */
	private final AtomicInteger inFlight = new AtomicInteger();

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
	 * Marks this worker as leaving on purpose (a reload, or its own graceful shutdown):
	 * its connections move to another worker at their next request, and a request it
	 * closes without answering is sent again elsewhere. A crashed worker is never
	 * retiring.
	 */
	public void retire() {
		this.retiring = true;
	}

	boolean isRetiring() {
		return this.retiring;
	}

	/**
	 * Requests the front door sent to this worker that it has not begun to answer: once
	 * none is left, a retiring worker can be stopped without a request left unanswered. A
	 * response under way does not count; the worker's graceful shutdown lets it end.
	 */
	public int requestsInFlight() {
		return this.inFlight.get();
	}

	void requestStarted() {
		this.inFlight.incrementAndGet();
	}

	void requestEnded() {
		this.inFlight.decrementAndGet();
	}

	/**
	 * Connections the front door is still opening to this worker: it has not taken them
	 * yet.
	 */
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

	@Nullable SocketAddress address(PortKind kind) {
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
