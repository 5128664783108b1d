package dev.bootcluster.primary;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.WorkerState;
import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.frontdoor.PortKind;

import org.jspecify.annotations.Nullable;

/**
 * One worker process and what the primary knows of it: its state, when it was last heard,
 * its limits.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class WorkerProcess {

	private final int id;

	private final int generation;

	private final WorkerHandle process;

	private final Ticker ticker;

	private final long startedAt;

	private final Instant startedAtInstant = Instant.now();

	private WorkerState state = WorkerState.STARTING;

	private @Nullable WorkerChannel channel;

	private @Nullable Backend backend;

	private long readyAt;

	/** When it went out of rotation (DRAINING). */
	private long drainingSince;

	private long stopDeadline;

	/**
	 * Retired on purpose: stopped once no request is in flight on it, or at
	 * {@link #drainDeadline}.
	 */
	private boolean stopsWhenDrained;

	private long drainDeadline;

	private @Nullable String failure;

	/** The starter version it said it runs when ready; {@code null} until then. */
	private @Nullable String starterVersion;

	private boolean killed;

	/** When the primary last heard from it (any message). */
	private long lastHeard;

	private long heapUsed;

	private long heapMax;

	private long requests;

	private long residentMemory;

	/** Its own lifetime before it is recycled, or {@code null}. */
	private @Nullable Duration lifetime;

	/**
	 * Why it was asked to stop, for the line that says it stopped; the first cause wins.
	 */
	private @Nullable String stopCause;

	/** Why it should be replaced gracefully, or {@code null} while it is fine. */
	private @Nullable String recycleReason;

	WorkerProcess(int id, int generation, WorkerHandle process, @Nullable Duration lifetime, Ticker ticker) {
		this.id = id;
		this.generation = generation;
		this.process = process;
		this.lifetime = lifetime;
		this.ticker = ticker;
		this.startedAt = ticker.nanos();
		this.lastHeard = this.startedAt;
	}

	int id() {
		return this.id;
	}

	int generation() {
		return this.generation;
	}

	long pid() {
		return this.process.pid();
	}

	WorkerHandle process() {
		return this.process;
	}

	WorkerState state() {
		return this.state;
	}

	@Nullable Backend backend() {
		return (this.state == WorkerState.READY) ? this.backend : null;
	}

	@Nullable String starterVersion() {
		return this.starterVersion;
	}

	@Nullable String failure() {
		return this.failure;
	}

	long startedAt() {
		return this.startedAt;
	}

	long stopDeadline() {
		return this.stopDeadline;
	}

	long drainingSince() {
		return this.drainingSince;
	}

	boolean isStopping() {
		return this.state == WorkerState.STOPPING || this.state == WorkerState.EXITED;
	}

	void connected(WorkerChannel channel) {
		this.channel = channel;
	}

	void heard(long now) {
		this.lastHeard = now;
	}

	long lastHeard() {
		return this.lastHeard;
	}

	/** What its heartbeat says: heap used and max, requests served. */
	void heartbeat(long heapUsed, long heapMax, long requests) {
		this.heapUsed = heapUsed;
		this.heapMax = heapMax;
		this.requests = requests;
	}

	/**
	 * Reads its resident memory, and decides whether it is due for recycling for that or
	 * for its age.
	 */
	void check(long maxMemoryBytes) {
		this.residentMemory = this.process.residentMemory();
		if (this.recycleReason != null || this.state != WorkerState.READY) {
			return;
		}
		if (maxMemoryBytes > 0 && this.residentMemory > maxMemoryBytes) {
			recycle("its resident memory, " + (this.residentMemory >> 20) + " MB, is above cluster.worker.max-memory ("
					+ (maxMemoryBytes >> 20) + " MB)");
		}
		else if (this.lifetime != null && uptime().compareTo(this.lifetime) >= 0) {
			recycle("it has served " + Arbiter.format(uptime()) + " (cluster.worker.max-lifetime)");
		}
	}

	/** Marks it for a graceful replacement, for the given reason. */
	void recycle(String reason) {
		if (this.recycleReason == null) {
			this.recycleReason = reason;
		}
	}

	@Nullable String recycleReason() {
		return this.recycleReason;
	}

	/** Answers the worker over its channel; a worker that has gone needs no answer. */
	void send(Message message) {
		if (this.channel != null) {
			this.channel.send(message);
		}
	}

	/**
	 * Gives it the limits of new settings: its heartbeat interval and request limit (told
	 * over its channel), and its lifetime.
	 */
	void limit(Supervision supervision) {
		this.lifetime = supervision.lifetimeForNewWorker();
		send(Message.of(Message.Type.LIMITS, supervision.heartbeatInterval().toMillis(),
				supervision.requestLimitForNewWorker()));
	}

	/** Cuts it off: its channel is closed, so it will be stopped and replaced. */
	void disconnect() {
		if (this.channel != null) {
			this.channel.close();
		}
	}

	/**
	 * The application accepts traffic at these internal addresses; some read a PROXY
	 * header. A worker that was draining because the app refused traffic is back in
	 * rotation, as a new {@link Backend}: the retired one keeps moving its connections
	 * away. Its extra ports are where the primary told it to serve them.
	 */
	void ready(Map<PortKind, SocketAddress> addresses, Set<PortKind> proxyProtocol, @Nullable String starterVersion) {
		this.starterVersion = starterVersion;
		Map<PortKind, SocketAddress> all = new HashMap<>(addresses);
		this.process.extraPorts()
			.forEach((name, port) -> all.put(PortKind.extra(name),
					new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
		this.backend = new Backend(this.id, pid(), all, proxyProtocol);
		if (this.readyAt == 0) {
			this.readyAt = this.ticker.nanos();
			this.process.serving();
		}
		this.state = WorkerState.READY;
	}

	/**
	 * Whether a READY from it puts it in rotation: it is starting, or the app alone took
	 * it out.
	 */
	boolean canBeReady() {
		return !this.killed && (this.state == WorkerState.STARTING || this.state == WorkerState.DRAINING);
	}

	/** How long it had been ready, or zero if it never was. */
	Duration uptime() {
		return (this.readyAt != 0) ? Duration.ofNanos(this.ticker.nanos() - this.readyAt) : Duration.ZERO;
	}

	boolean wasReady() {
		return this.readyAt != 0;
	}

	Duration startupTime() {
		return Duration.ofNanos(this.readyAt - this.startedAt);
	}

	/**
	 * Out of rotation on purpose (a reload, or the app's own graceful shutdown): its
	 * clients' connections move to other workers without a failed request.
	 */
	void retire() {
		drain();
		if (this.backend != null) {
			this.backend.retire();
		}
	}

	/**
	 * Retired, to be stopped once the front door has no request in flight on it, or when
	 * the drain timeout has passed, whichever comes first.
	 */
	void retireThenStop(Duration drainTimeout, String cause) {
		retire();
		if (!isStopping() && !this.stopsWhenDrained) {
			this.stopCause = cause;
			this.stopsWhenDrained = true;
			this.drainDeadline = this.ticker.nanos() + drainTimeout.toNanos();
		}
	}

	/**
	 * Retired and not yet asked to stop: it may still answer requests the front door sent
	 * it.
	 */
	boolean isDrainingToStop() {
		return this.stopsWhenDrained && !isStopping();
	}

	/** Whether it can be stopped now without leaving a request sent to it unanswered. */
	boolean isDrained(Rotation rotation, long now) {
		return this.backend == null || rotation.requestsInFlight(this.backend) == 0 || now - this.drainDeadline > 0;
	}

	/** Out of rotation because it is dying or broken: nothing of it is replayed. */
	void lose() {
		drain();
	}

	private void drain() {
		if (this.state == WorkerState.READY || this.state == WorkerState.STARTING) {
			this.state = WorkerState.DRAINING;
			this.drainingSince = this.ticker.nanos();
		}
	}

	void failed(String cause) {
		this.failure = cause;
	}

	/**
	 * Asks the worker to stop gracefully: SIGTERM, so Boot's graceful shutdown runs;
	 * {@code cause} says why, unless an earlier cause (a retirement) did.
	 */
	void stop(Duration timeout, String cause) {
		if (this.stopCause == null) {
			this.stopCause = cause;
		}
		if (!isStopping()) {
			this.state = WorkerState.STOPPING;
			this.stopDeadline = this.ticker.nanos() + timeout.toNanos();
			this.process.terminate();
		}
	}

	/** Why it was asked to stop. */
	String stopCause() {
		return (this.stopCause != null) ? this.stopCause : "asked to stop";
	}

	/** Asks the JVM for a thread dump, which goes to its output. */
	void requestThreadDump() {
		this.process.requestThreadDump();
	}

	/** Ends the process at once (SIGKILL); its exit is then only waited for. */
	void kill() {
		this.killed = true;
		this.process.kill();
	}

	boolean isKilled() {
		return this.killed;
	}

	void exited() {
		this.state = WorkerState.EXITED;
		disconnect();
		this.process.exited();
	}

	ClusterStatus.Worker status(int restarts, ClusterStatus.@Nullable Exit lastExit) {
		return new ClusterStatus.Worker(this.id, pid(), this.state.name(), this.generation, this.startedAtInstant,
				uptime(), restarts, (this.backend != null) ? this.backend.activeConnections() : 0,
				(this.backend != null) ? this.backend.totalConnections() : 0, this.requests, this.heapUsed,
				this.heapMax, this.residentMemory, lastExit, this.process.extraPorts(), this.starterVersion);
	}

	@Override
	public String toString() {
		return "Worker " + this.id + " (pid " + pid() + ")";
	}

}
