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

	WorkerProcess(int id, int generation, Process process, Path hopSocket) {
		this.id = id;
		this.generation = generation;
		this.process = process;
		this.hopSocket = hopSocket;
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
				(this.backend != null) ? this.backend.totalConnections() : 0, lastExit);
	}

	@Override
	public String toString() {
		return "Worker " + this.id + " (pid " + pid() + ")";
	}

}
