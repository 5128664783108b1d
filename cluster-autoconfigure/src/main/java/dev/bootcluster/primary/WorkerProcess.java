package dev.bootcluster.primary;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.frontdoor.PortKind;

/**
 * One forked worker JVM and what the primary knows of it.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class WorkerProcess {

	private final int id;

	private final Process process;

	private final long startedAt = System.nanoTime();

	private WorkerState state = WorkerState.STARTING;

	private Channel channel;

	private Backend backend;

	private long readyAt;

	private long stopDeadline;

	private String failure;

	private boolean killed;

	WorkerProcess(int id, Process process) {
		this.id = id;
		this.process = process;
	}

	int id() {
		return this.id;
	}

	long pid() {
		return this.process.pid();
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

	/** The application accepts traffic on these loopback ports. */
	void ready(Map<PortKind, Integer> ports) {
		Map<PortKind, InetSocketAddress> addresses = new EnumMap<>(PortKind.class);
		ports.forEach((kind, port) -> addresses.put(kind, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
		this.backend = new Backend(this.id, pid(), addresses);
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

	boolean wasReady() {
		return this.readyAt != 0;
	}

	void draining() {
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
	}

	@Override
	public String toString() {
		return "Worker " + this.id + " (pid " + pid() + ")";
	}

}
