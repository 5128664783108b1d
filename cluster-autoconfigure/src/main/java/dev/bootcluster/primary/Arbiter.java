package dev.bootcluster.primary;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.HopAddress;
import dev.bootcluster.channel.Message;
import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.frontdoor.FrontDoor;
import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The supervisor: one loop that converges the real workers to the desired state (N
 * workers of the current generation, in rotation while ready), like Gunicorn's arbiter.
 * Channel readers, process exits, signals and endpoint requests only post
 * {@link Event events}; the loop does all the work.
 * <p>
 * Threads: {@link #run} owns every field but {@link #events}; the {@link ControlServer}
 * readers, the JDK's process reaper and signal handlers only enqueue.
 */
public final class Arbiter implements ControlServer.Listener {

	private static final Log logger = LogFactory.getLog(Arbiter.class);

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final ClusterSettings settings;

	private final FrontDoor frontDoor;

	private final Slot[] slots;

	private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();

	private final Instant startedAt = Instant.now();

	private WorkerLauncher launcher;

	private List<Backend> routed = List.of();

	private int generation = 1;

	private RollingReload reload;

	private int reloadCount;

	private long reloadsSucceeded;

	private long reloadsFailed;

	private boolean everReady;

	private boolean stopping;

	private int exitCode;

	Arbiter(ClusterSettings settings, FrontDoor frontDoor) {
		this.settings = settings;
		this.frontDoor = frontDoor;
		this.slots = new Slot[settings.workers()];
		for (int i = 0; i < this.slots.length; i++) {
			this.slots[i] = new Slot(i + 1);
		}
	}

	/**
	 * Runs the cluster until it has stopped.
	 * @return the primary's exit code: 0 after a requested shutdown, 1 when the
	 * application could not start
	 */
	int run(WorkerLauncher launcher) throws InterruptedException {
		this.launcher = launcher;
		while (!this.stopping || !this.workers.isEmpty()) {
			converge();
			publishRoutes();
			Event event = this.events.poll(millisUntilNextDeadline(), TimeUnit.MILLISECONDS);
			if (event != null) {
				event.applyTo(this);
			}
		}
		return this.exitCode;
	}

	/** Asks for a graceful shutdown; asked again while stopping, kills every worker. */
	void shutdown(String reason) {
		this.events.add((arbiter) -> arbiter.onShutdown(reason));
	}

	/** Asks for a rolling reload of every worker. */
	void reload(String trigger) {
		this.events.add((arbiter) -> arbiter.requestReload(trigger, arbiter.allSlots()));
	}

	@Override
	public void connected(long pid, Channel channel) {
		this.events.add((arbiter) -> arbiter.onConnected(pid, channel));
	}

	@Override
	public void received(long pid, Message message) {
		this.events.add((arbiter) -> arbiter.onMessage(pid, message));
	}

	@Override
	public void closed(long pid) {
		this.events.add((arbiter) -> arbiter.onChannelClosed(pid));
	}

	private void converge() {
		long now = System.nanoTime();
		if (!this.stopping) {
			for (Slot slot : this.slots) {
				if (slot.current == null && slot.replacement == null && now - slot.restartAt >= 0) {
					slot.current = launch(slot.id, this.generation);
				}
			}
			if (this.reload != null && this.reload.isRunning()) {
				stepReload();
			}
		}
		for (WorkerProcess worker : this.workers.values()) {
			if (worker.isKilled()) {
				continue;
			}
			if (worker.state() == WorkerState.STARTING
					&& now - worker.startedAt() > this.settings.readyTimeout().toNanos()) {
				logger.warn(worker + " did not become ready within " + format(this.settings.readyTimeout())
						+ " (cluster.worker.ready-timeout); killing it");
				worker.failed("not ready within " + format(this.settings.readyTimeout()));
				worker.kill();
			}
			else if (worker.state() == WorkerState.STOPPING && now - worker.stopDeadline() > 0) {
				logger.warn(worker + " did not stop within " + format(this.settings.shutdownTimeout())
						+ " (cluster.worker.shutdown-timeout); killing it");
				worker.kill();
			}
		}
	}

	/**
	 * One step of the running reload: start the next replacement, or, once it is ready,
	 * put it in its slot and retire the worker it replaces.
	 */
	private void stepReload() {
		WorkerProcess replacement = this.reload.replacement();
		if (replacement == null) {
			for (Integer id = this.reload.nextSlot(); id != null; id = this.reload.nextSlot()) {
				Slot slot = this.slots[id - 1];
				if (slot.current == null || slot.current.state() != WorkerState.READY) {
					// Not running now: its next start runs the new code anyway.
					this.reload.replaced();
					continue;
				}
				replacement = launch(id, this.reload.generation());
				if (replacement == null) {
					failReload("could not start a worker");
					return;
				}
				slot.replacement = replacement;
				this.reload.replacing(replacement);
				logger.info(this.reload + ": " + replacement + " replaces pid " + slot.current.pid());
				return;
			}
			this.reload.succeed();
			this.reloadsSucceeded++;
			logger.info(this.reload + " finished: " + this.reload.progress() + " in " + format(this.reload.elapsed()));
		}
		else if (replacement.state() == WorkerState.READY) {
			Slot slot = this.slots[replacement.id() - 1];
			WorkerProcess old = slot.current;
			slot.current = replacement;
			slot.replacement = null;
			this.reload.replaced();
			if (old != null) {
				old.retire();
				old.stop(this.settings.shutdownTimeout());
			}
		}
	}

	private void failReload(String failure) {
		this.reload.fail(failure);
		this.reloadsFailed++;
		logger.error(this.reload + " failed after " + this.reload.progress() + ": " + failure
				+ ". The workers not yet replaced keep serving.");
	}

	private long millisUntilNextDeadline() {
		long now = System.nanoTime();
		long next = Long.MAX_VALUE;
		if (!this.stopping) {
			for (Slot slot : this.slots) {
				if (slot.current == null && slot.replacement == null) {
					next = Math.min(next, slot.restartAt - now);
				}
			}
		}
		for (WorkerProcess worker : this.workers.values()) {
			if (worker.isKilled()) {
				continue;
			}
			if (worker.state() == WorkerState.STARTING) {
				next = Math.min(next, worker.startedAt() + this.settings.readyTimeout().toNanos() - now);
			}
			else if (worker.state() == WorkerState.STOPPING) {
				next = Math.min(next, worker.stopDeadline() - now);
			}
		}
		return (next == Long.MAX_VALUE) ? 60_000 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
	}

	/** Forks a worker for a slot; {@code null} if it could not be started. */
	private WorkerProcess launch(int id, int generation) {
		WorkerProcess worker;
		try {
			worker = this.launcher.launch(id, generation);
		}
		catch (IOException ex) {
			logger.error("Could not start worker " + id + ": " + ex.getMessage());
			if (!this.everReady) {
				this.exitCode = 1;
				onShutdown("no worker could be started");
			}
			else {
				this.slots[id - 1].restartAt = System.nanoTime() + this.settings.backoff().maxDelay().toNanos();
			}
			return null;
		}
		this.workers.put(worker.pid(), worker);
		long pid = worker.pid();
		worker.onExit().thenAccept((ended) -> this.events.add((arbiter) -> arbiter.onExit(pid, ended.exitValue())));
		logger.info("Starting " + worker);
		return worker;
	}

	private void publishRoutes() {
		List<Backend> ready = this.workers.values()
			.stream()
			.map(WorkerProcess::backend)
			.filter(Objects::nonNull)
			.sorted(Comparator.comparingInt(Backend::workerId))
			.toList();
		if (!ready.equals(this.routed)) {
			this.routed = ready;
			this.frontDoor.route(ready);
		}
	}

	private void onConnected(long pid, Channel channel) {
		WorkerProcess worker = this.workers.get(pid);
		if (worker == null) {
			logger.warn("Closed a control connection from pid " + pid + ", which is not a worker of this cluster");
			channel.close();
			return;
		}
		worker.connected(channel);
	}

	private void onMessage(long pid, Message message) {
		WorkerProcess worker = this.workers.get(pid);
		if (worker == null) {
			return;
		}
		switch (message.type()) {
			case READY -> onReady(worker, message);
			case NOT_READY -> {
				if (worker.state() == WorkerState.READY) {
					logger.info(worker + " is refusing traffic; taken out of rotation");
				}
				worker.retire();
			}
			case FAILED -> worker.failed(message.field(0));
			case QUERY -> worker.send(Message.status(message.field(0), status()));
			case RELOAD -> worker.send(reply(message.field(0), requestReload("POST /actuator/cluster/reload", allSlots())));
			case RESTART -> worker.send(reply(message.field(0), requestRestart(message.field(1))));
			default -> logger.debug("Ignored " + message.type() + " from " + worker);
		}
	}

	private void onReady(WorkerProcess worker, Message message) {
		if (worker.state() != WorkerState.STARTING) {
			return;
		}
		SocketAddress server = HopAddress.parse(message.field(0));
		SocketAddress management = HopAddress.parse(message.field(1));
		if (server == null) {
			logger.error(worker + " is ready but runs no web server: a cluster needs a web application");
			this.exitCode = 1;
			onShutdown("the application has no web server");
			return;
		}
		Map<PortKind, SocketAddress> addresses = new EnumMap<>(PortKind.class);
		addresses.put(PortKind.SERVER, server);
		if (management != null) {
			addresses.put(PortKind.MANAGEMENT, management);
		}
		boolean proxyProtocol = message.fields().size() > 2 && Boolean.parseBoolean(message.field(2));
		worker.ready(addresses, proxyProtocol ? Set.of(PortKind.SERVER) : Set.of());
		this.everReady = true;
		logger.info(worker + " ready in " + format(worker.startupTime()));
	}

	private void onChannelClosed(long pid) {
		WorkerProcess worker = this.workers.get(pid);
		if (worker != null && !worker.isStopping()) {
			// A worker that lost its channel is dying or broken: out of rotation now, not when
			// the exit is reaped, and make sure it does die so that it is replaced.
			worker.lose();
			worker.kill();
		}
	}

	private void onExit(long pid, int exitValue) {
		WorkerProcess worker = this.workers.remove(pid);
		if (worker == null) {
			return;
		}
		boolean expected = worker.isStopping();
		worker.exited();
		Slot slot = this.slots[worker.id() - 1];
		slot.lastExit = new ClusterStatus.Exit(exitValue, ExitStatus.signal(exitValue), Instant.now());
		if (slot.replacement == worker) {
			slot.replacement = null;
			String cause = (worker.failure() != null) ? worker.failure() : ExitStatus.describe(exitValue);
			failReload(worker + " could not start: " + cause);
			return;
		}
		if (slot.current == worker) {
			slot.current = null;
		}
		if (expected || this.stopping) {
			logger.info(worker + " stopped" + (ExitStatus.isCleanStop(exitValue) ? "" : " (" + ExitStatus.describe(exitValue) + ")"));
			return;
		}
		if (!this.everReady) {
			String cause = (worker.failure() != null) ? worker.failure() : ExitStatus.describe(exitValue);
			logger.error(worker + " could not start: " + cause
					+ ". No worker has ever become ready, so the cluster stops.");
			this.exitCode = 1;
			onShutdown("the application could not start");
			return;
		}
		slot.restarts++;
		if (slot.replacement != null) {
			logger.warn(worker + " " + ExitStatus.describe(exitValue) + "; " + slot.replacement + " from "
					+ this.reload.id() + " takes its place");
			return;
		}
		if (this.settings.backoff().resets(worker.uptime())) {
			slot.deaths = 0;
		}
		slot.deaths++;
		Duration delay = this.settings.backoff().delayAfter(slot.deaths);
		slot.restartAt = System.nanoTime() + delay.toNanos();
		logger.warn(worker + " " + ExitStatus.describe(exitValue) + "; restarting it in " + format(delay));
	}

	private void onShutdown(String reason) {
		if (this.stopping) {
			if (!this.workers.isEmpty()) {
				logger.warn("Asked again to stop (" + reason + "); killing " + this.workers.size() + " worker(s)");
				this.workers.values().forEach(WorkerProcess::kill);
			}
			return;
		}
		this.stopping = true;
		logger.info("Stopping the cluster (" + reason + ")");
		if (this.reload != null && this.reload.isRunning()) {
			failReload("the cluster is stopping");
		}
		this.frontDoor.stopAccepting();
		List<WorkerProcess> running = new ArrayList<>(this.workers.values());
		running.forEach((worker) -> worker.stop(this.settings.shutdownTimeout()));
	}

	private Reply requestRestart(String workerId) {
		int id;
		try {
			id = Integer.parseInt(workerId);
		}
		catch (NumberFormatException ex) {
			id = 0;
		}
		if (id < 1 || id > this.slots.length) {
			return new Reply(404, null, "No worker " + workerId + ": worker ids are 1 to " + this.slots.length);
		}
		return requestReload("restart of worker " + id, List.of(id));
	}

	private Reply requestReload(String trigger, List<Integer> slotIds) {
		if (this.stopping) {
			return new Reply(503, null, "The cluster is stopping");
		}
		if (!this.everReady) {
			return new Reply(503, null, "No worker is ready yet: the cluster is still starting");
		}
		if (this.reload != null && this.reload.isRunning()) {
			logger.warn("Refused a reload (" + trigger + "): " + this.reload + " is still running");
			return new Reply(409, this.reload.id(),
					this.reload.id() + " is still running (" + this.reload.progress() + "); try again when it has ended");
		}
		this.generation++;
		this.reload = new RollingReload("reload-" + (++this.reloadCount), trigger, this.generation, slotIds);
		logger.info(this.reload + " started: replacing " + slotIds.size() + " worker(s) one at a time");
		return new Reply(202, this.reload.id(), "Watch it with GET /actuator/cluster");
	}

	private List<Integer> allSlots() {
		return IntStream.rangeClosed(1, this.slots.length).boxed().toList();
	}

	private static Message reply(String requestId, Reply reply) {
		return Message.of(Message.Type.REPLY, requestId, reply.code, (reply.reloadId != null) ? reply.reloadId : "",
				reply.message);
	}

	ClusterStatus status() {
		List<ClusterStatus.Worker> statuses = new ArrayList<>();
		for (Slot slot : this.slots) {
			List<WorkerProcess> processes = this.workers.values()
				.stream()
				.filter((worker) -> worker.id() == slot.id)
				.sorted(Comparator.comparingLong(WorkerProcess::startedAt))
				.toList();
			processes.forEach((worker) -> statuses.add(worker.status(slot.restarts, slot.lastExit)));
			if (processes.isEmpty()) {
				statuses.add(new ClusterStatus.Worker(slot.id, 0, WorkerState.EXITED.name(), this.generation, null,
						Duration.ZERO, slot.restarts, 0, 0, slot.lastExit));
			}
		}
		return new ClusterStatus(ProcessHandle.current().pid(), this.startedAt,
				Duration.between(this.startedAt, Instant.now()), this.settings.policy().value(),
				this.frontDoor.ports().stream().map(PublicPort::port).toList(), this.slots.length, statuses,
				(this.reload != null) ? this.reload.status() : null, this.reloadsSucceeded, this.reloadsFailed);
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis < 1000) ? millis + " ms" : String.format("%.1f s", millis / 1000.0);
	}

	/** Something that happened, applied on the arbiter's thread. */
	@FunctionalInterface
	interface Event {

		void applyTo(Arbiter arbiter);

	}

	/** The answer to an endpoint request: an HTTP status, the reload it concerns, a message. */
	private record Reply(int code, String reloadId, String message) {
	}

	/** A worker position, 1 to N, that is filled again whenever its worker dies. */
	private static final class Slot {

		private final int id;

		private WorkerProcess current;

		/** The worker a reload is starting to take over this slot. */
		private WorkerProcess replacement;

		private int deaths;

		private int restarts;

		private ClusterStatus.Exit lastExit;

		private long restartAt = System.nanoTime();

		Slot(int id) {
			this.id = id;
		}

	}

}
