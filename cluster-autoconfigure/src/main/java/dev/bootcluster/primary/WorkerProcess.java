package dev.bootcluster.primary;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.WorkerState;
import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.frontdoor.PortKind;

/**
 * One forked worker JVM and what the primary knows of it.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class WorkerProcess {

	private final int id;

	private final int generation;

	private final Process process;

	/** Where its server may listen on the internal hop, or {@code null} for loopback TCP. */
	private final Path hopSocket;

	private final long startedAt = System.nanoTime();

	private final Instant startedAtInstant = Instant.now();

	private WorkerState state = WorkerState.STARTING;

	private Channel channel;

	private Backend backend;

	private long readyAt;

	private long stopDeadline;

	private String failure;

	private boolean killed;

	/** When the primary last heard from it (any message), by {@link System#nanoTime}. */
	private long lastHeard = this.startedAt;

	private long heapUsed;

	private long heapMax;

	private long requests;

	private long residentMemory;

	/** Its own lifetime before it is recycled, or {@code null}. */
	private final Duration lifetime;

	/** Why it should be replaced gracefully, or {@code null} while it is fine. */
	private String recycleReason;

	WorkerProcess(int id, int generation, Process process, Path hopSocket, Duration lifetime) {
		this.id = id;
		this.generation = generation;
		this.process = process;
		this.hopSocket = hopSocket;
		this.lifetime = lifetime;
	}

	int id() {
		return this.id;
	}

	long pid() {
		return this.process.pid();
	}

	CompletableFuture<Process> onExit() {
		return this.process.onExit();
	}

	WorkerState state() {
		return this.state;
	}

	Backend backend() {
		return (this.state == WorkerState.READY) ? this.backend : null;
	}

	String failure() {
		return this.failure;
	}

	long startedAt() {
		return this.startedAt;
	}

	long stopDeadline() {
		return this.stopDeadline;
	}

	boolean isStopping() {
		return this.state == WorkerState.STOPPING || this.state == WorkerState.EXITED;
	}

	void connected(Channel channel) {
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
		this.residentMemory = ResidentMemory.of(pid());
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

	String recycleReason() {
		return this.recycleReason;
	}

	/** Answers the worker over its channel; a worker that has gone needs no answer. */
	void send(Message message) {
		if (this.channel != null) {
			try {
				this.channel.send(message);
			}
			catch (IOException ex) {
				// its exit is on the way
			}
		}
	}

	/** The application accepts traffic at these internal addresses; some read a PROXY header. */
	void ready(Map<PortKind, SocketAddress> addresses, Set<PortKind> proxyProtocol) {
		this.backend = new Backend(this.id, pid(), addresses, proxyProtocol);
		this.readyAt = System.nanoTime();
		this.state = WorkerState.READY;
	}

	/** How long it had been ready, or zero if it never was. */
	Duration uptime() {
		return (this.readyAt != 0) ? Duration.ofNanos(System.nanoTime() - this.readyAt) : Duration.ZERO;
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

	/** Out of rotation because it is dying or broken: nothing of it is replayed. */
	void lose() {
		drain();
	}

	private void drain() {
		if (this.state == WorkerState.READY || this.state == WorkerState.STARTING) {
			this.state = WorkerState.DRAINING;
		}
	}

	void failed(String cause) {
		this.failure = cause;
	}

	/** Asks the worker to stop gracefully: SIGTERM, so Boot's graceful shutdown runs. */
	void stop(Duration timeout) {
		if (!isStopping()) {
			this.state = WorkerState.STOPPING;
			this.stopDeadline = System.nanoTime() + timeout.toNanos();
			this.process.destroy();
		}
	}

	/**
	 * Asks the JVM for a thread dump: SIGQUIT, which a JVM answers by printing every
	 * thread's stack to its output (and which the JDK's Process API cannot send).
	 */
	void requestThreadDump() {
		try {
			new ProcessBuilder("kill", "-QUIT", Long.toString(pid())).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			// the dump is a courtesy; replacing the worker is what matters
		}
	}

	/** Ends the process at once (SIGKILL); its exit is then only waited for. */
	void kill() {
		this.killed = true;
		this.process.destroyForcibly();
	}

	boolean isKilled() {
		return this.killed;
	}

	void exited() {
		this.state = WorkerState.EXITED;
		if (this.channel != null) {
			this.channel.close();
		}
		if (this.hopSocket != null) {
			// A worker that was killed leaves its socket behind.
			try {
				Files.deleteIfExists(this.hopSocket);
			}
			catch (IOException ex) {
				// the primary removes its directory, and what is in it, when it stops
			}
		}
	}

	ClusterStatus.Worker status(int restarts, ClusterStatus.Exit lastExit) {
		return new ClusterStatus.Worker(this.id, pid(), this.state.name(), this.generation, this.startedAtInstant,
				uptime(), restarts, (this.backend != null) ? this.backend.activeConnections() : 0,
				(this.backend != null) ? this.backend.totalConnections() : 0, this.requests, this.heapUsed,
				this.heapMax, this.residentMemory, lastExit);
	}

	@Override
	public String toString() {
		return "Worker " + this.id + " (pid " + pid() + ")";
	}

}
