package dev.bootcluster.primary;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * workers of the current generation, in rotation while ready, each alive and within its
 * limits), like Gunicorn's arbiter. Channel readers, process exits, signals and endpoint
 * requests only post {@link Event events}; the loop does all the work: it starts, replaces
 * and stops workers, replaces hung ones, recycles the ones past a limit one at a time, and
 * marks a slot that crash-loops FAILED.
 * <p>
 * Threads: {@link #run} owns every field but {@link #events}; the {@link ControlServer}
 * readers, the JDK's process reaper and signal handlers only enqueue.
 */
public final class Arbiter implements ControlServer.Listener {

	private static final Log logger = LogFactory.getLog(Arbiter.class);

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final ClusterSettings settings;

	private final FrontDoor frontDoor;

	/** Worker positions 1 to N; N changes when the cluster is scaled. */
	private final List<Slot> slots = new ArrayList<>();

	private final Supervision supervision;

	/** When the workers' limits were last checked. */
	private long lastCheck = System.nanoTime();

	/**
	 * When the primary last resumed from a pause of its own (see {@link #noticePause}):
	 * workers' silence before then proves nothing.
	 */
	private long resumedAt = System.nanoTime();

	/** When {@link #supervise} last ran. */
	private long lastTurn = System.nanoTime();

	private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();

	private final Instant startedAt = Instant.now();

	private WorkerLauncher launcher;

	private List<Backend> routed = List.of();

	private int generation = 1;

	private RollingReload reload;

	/** The slot whose worker is being recycled (replaced for a limit), one at a time. */
	private Slot recycling;

	private int reloadCount;

	private long reloadsSucceeded;

	private long reloadsFailed;

	private boolean everReady;

	private boolean stopping;

	private int exitCode;

	Arbiter(ClusterSettings settings, FrontDoor frontDoor) {
		this.settings = settings;
		this.frontDoor = frontDoor;
		this.supervision = settings.supervision();
		for (int id = 1; id <= settings.workers(); id++) {
			this.slots.add(new Slot(id));
		}
	}

	/**
	 * Runs the cluster until it has stopped.
	 * @return the primary's exit code, one of {@link ClusterExitCode}
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

	/** Asks for the cluster to run {@code workers} workers. */
	void scale(String trigger, int change) {
		this.events.add((arbiter) -> arbiter.requestScale(trigger, arbiter.slots.size() + change));
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
				if (slot.current == null && slot.replacement == null && !slot.failed && now - slot.restartAt >= 0) {
					slot.current = launch(slot.id, this.generation);
				}
			}
			supervise(now);
			// A recycle in progress finishes before a reload goes on; neither overlaps.
			if (this.recycling == null && this.reload != null && this.reload.isRunning()) {
				stepReload();
			}
			else {
				stepRecycle();
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

	/** Checks heartbeats at every turn, and memory and lifetime every check interval. */
	private void supervise(long now) {
		noticePause(now);
		boolean check = now - this.lastCheck >= this.supervision.checkInterval().toNanos();
		if (check) {
			this.lastCheck = now;
		}
		for (WorkerProcess worker : List.copyOf(this.workers.values())) {
			long silence = now - Math.max(worker.lastHeard(), this.resumedAt);
			if (worker.state() == WorkerState.READY && silence > this.supervision.heartbeatTimeout().toNanos()) {
				replaceHung(worker, Duration.ofNanos(now - worker.lastHeard()));
			}
			else if (check && !worker.isStopping()) {
				worker.check(this.supervision.maxMemoryBytes());
			}
		}
	}

	/**
	 * The loop turns at least every heartbeat interval; a longer gap means the primary
	 * itself was stopped (SIGSTOP, a debugger, a starved host) and finds every worker
	 * silent. They get a fresh heartbeat timeout instead of being killed all at once.
	 */
	private void noticePause(long now) {
		long gap = now - this.lastTurn;
		this.lastTurn = now;
		if (gap > this.supervision.heartbeatInterval().plusSeconds(1).toNanos()) {
			this.resumedAt = now;
			logger.warn("The primary was paused for about " + format(Duration.ofNanos(gap))
					+ "; workers get a fresh heartbeat timeout");
		}
	}

	/**
	 * A worker that stopped sending heartbeats: a thread dump for the post-mortem, out of
	 * rotation, a replacement at once, and a stop (SIGKILL after the shutdown timeout, as
	 * a hung JVM will not end by itself).
	 */
	private void replaceHung(WorkerProcess worker, Duration silence) {
		logger.warn(worker + " sent no heartbeat for " + format(silence) + " (cluster.worker.heartbeat-timeout is "
				+ format(this.supervision.heartbeatTimeout()) + "): it is hung. Asked it for a thread dump (SIGQUIT; "
				+ "the dump goes to its output); replacing it");
		worker.requestThreadDump();
		worker.lose();
		worker.stop(this.settings.shutdownTimeout());
		Slot slot = slot(worker.id());
		if (slot != null && slot.current == worker) {
			slot.current = null;
			slot.restarts++;
			if (!crashLooped(slot, "hung")) {
				slot.restartAt = System.nanoTime();
			}
		}
	}

	/**
	 * Replaces, one at a time and never during a reload, a worker past one of its limits
	 * (memory, requests, lifetime): its replacement starts, and once it is ready the old
	 * worker is retired like in a reload, without a failed request.
	 */
	private void stepRecycle() {
		if (this.recycling != null) {
			if (this.recycling.replacement.state() == WorkerState.READY) {
				promote(this.recycling);
				this.recycling = null;
			}
			return;
		}
		long now = System.nanoTime();
		for (Slot slot : this.slots) {
			WorkerProcess current = slot.current;
			if (current != null && current.state() == WorkerState.READY && current.recycleReason() != null
					&& slot.replacement == null && now - slot.recycleNotBefore >= 0) {
				WorkerProcess replacement = launch(slot.id, this.generation);
				if (replacement == null) {
					slot.recycleNotBefore = now + this.settings.backoff().maxDelay().toNanos();
					return;
				}
				slot.replacement = replacement;
				this.recycling = slot;
				logger.info("Recycling " + current + ": " + current.recycleReason() + "; " + replacement
						+ " replaces it");
				return;
			}
		}
	}

	/** Puts a ready replacement in its slot and retires the worker it replaces. */
	private void promote(Slot slot) {
		WorkerProcess old = slot.current;
		slot.current = slot.replacement;
		slot.replacement = null;
		if (old != null) {
			old.retire();
			old.stop(this.settings.shutdownTimeout());
		}
	}

	/**
	 * Counts a restart of the slot; when it makes more than max-restarts within the
	 * window, the slot is marked FAILED.
	 * @return whether the slot is now FAILED
	 */
	private boolean crashLooped(Slot slot, String cause) {
		long now = System.nanoTime();
		slot.restartTimes.addLast(now);
		while (now - slot.restartTimes.peekFirst() > this.supervision.restartWindow().toNanos()) {
			slot.restartTimes.removeFirst();
		}
		int max = this.supervision.maxRestarts();
		if (max == 0 || slot.restartTimes.size() <= max) {
			return false;
		}
		markFailed(slot, "needed " + slot.restartTimes.size() + " restarts within "
				+ format(this.supervision.restartWindow()) + " (cluster.restart.max-restarts is " + max
				+ " within cluster.restart.window); last: " + cause, ClusterExitCode.ALL_WORKERS_FAILED);
		return true;
	}

	/**
	 * A slot that is not restarted any more; when no slot is left, the cluster stops with
	 * {@code exitCode}.
	 */
	private void markFailed(Slot slot, String why, int exitCode) {
		slot.failed = true;
		logger.error("Worker " + slot.id + " " + why + ". Its slot is FAILED and not restarted; "
				+ "POST /actuator/cluster/workers/" + slot.id + "/restart or a reload tries again");
		if (this.slots.stream().allMatch((each) -> each.failed)) {
			this.exitCode = exitCode;
			onShutdown("every worker slot is FAILED");
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
				Slot slot = slot(id);
				if (slot == null || slot.current == null || slot.current.state() != WorkerState.READY) {
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
			promote(slot(replacement.id()));
			this.reload.replaced();
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
		// Heartbeats and limits are checked at least this often; a later wake-up means a pause.
		long next = Math.min(this.supervision.heartbeatInterval().toNanos(),
				this.lastCheck + this.supervision.checkInterval().toNanos() - now);
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
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
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
				slot(id).restartAt = System.nanoTime() + this.settings.backoff().maxDelay().toNanos();
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
		worker.heard(System.nanoTime());
		switch (message.type()) {
			case HEARTBEAT -> worker.heartbeat(Long.parseLong(message.field(0)), Long.parseLong(message.field(1)),
					Long.parseLong(message.field(2)));
			case RECYCLE -> worker.recycle(message.field(0));
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
			case SCALE -> worker.send(reply(message.field(0), requestScale("POST /actuator/cluster/scale",
					Integer.parseInt(message.field(1)))));
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
		worker.ready(addresses, proxyProtocolPorts(message));
		this.everReady = true;
		logger.info(worker + " ready in " + format(worker.startupTime()));
	}

	/** READY's third and fourth fields: whether the server, and the management server, read a PROXY header. */
	private static Set<PortKind> proxyProtocolPorts(Message message) {
		Set<PortKind> ports = EnumSet.noneOf(PortKind.class);
		if (message.fields().size() > 2 && Boolean.parseBoolean(message.field(2))) {
			ports.add(PortKind.SERVER);
		}
		if (message.fields().size() > 3 && Boolean.parseBoolean(message.field(3))) {
			ports.add(PortKind.MANAGEMENT);
		}
		return ports;
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
		Slot slot = slot(worker.id());
		if (slot == null) {
			logger.info(worker + " stopped (scaled down)");
			return;
		}
		slot.lastExit = new ClusterStatus.Exit(exitValue, ExitStatus.signal(exitValue), Instant.now());
		String cause = (worker.failure() != null) ? worker.failure() : ExitStatus.describe(exitValue);
		if (slot.replacement == worker) {
			slot.replacement = null;
			if (slot == this.recycling) {
				this.recycling = null;
				slot.recycleNotBefore = System.nanoTime() + this.settings.backoff().maxDelay().toNanos();
				logger.warn("Recycling worker " + slot.id + " failed: " + worker + " could not start: " + cause
						+ ". The worker it was to replace keeps serving; trying again in "
						+ format(this.settings.backoff().maxDelay()));
			}
			else {
				failReload(worker + " could not start: " + cause);
			}
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
			logger.error(worker + " could not start: " + cause
					+ ". No worker has ever become ready, so the cluster stops.");
			this.exitCode = ClusterExitCode.APPLICATION_CANNOT_BOOT;
			onShutdown("the application could not start");
			return;
		}
		slot.restarts++;
		if (slot.replacement != null) {
			logger.warn(worker + " " + ExitStatus.describe(exitValue) + "; its replacement " + slot.replacement
					+ " takes its place");
			return;
		}
		if (exitValue == ClusterExitCode.APPLICATION_CANNOT_BOOT && !worker.wasReady()) {
			// As Gunicorn halts on a boot error: restarting it would fail the same way.
			markFailed(slot, "cannot boot: " + cause, ClusterExitCode.APPLICATION_CANNOT_BOOT);
			return;
		}
		if (crashLooped(slot, ExitStatus.describe(exitValue))) {
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
		if (id < 1 || id > this.slots.size()) {
			return new Reply(404, null, "No worker " + workerId + ": worker ids are 1 to " + this.slots.size());
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
		for (Integer id : slotIds) {
			// A FAILED slot gets another chance: its next start runs the new code.
			slot(id).revive();
		}
		logger.info(this.reload + " started: replacing " + slotIds.size() + " worker(s) one at a time");
		return new Reply(202, this.reload.id(), "Watch it with GET /actuator/cluster");
	}

	/**
	 * Adds workers, or drains and stops the highest-numbered ones, so that the cluster
	 * runs {@code workers}.
	 */
	private Reply requestScale(String trigger, int workers) {
		int max = this.settings.maxWorkers();
		if (workers < 1 || workers > max) {
			return new Reply(400, null,
					"Cannot scale to " + workers + " workers: choose from 1 to " + max + " (cluster.max-workers)");
		}
		if (this.stopping) {
			return new Reply(503, null, "The cluster is stopping");
		}
		if (this.reload != null && this.reload.isRunning()) {
			return new Reply(409, this.reload.id(),
					this.reload.id() + " is running (" + this.reload.progress() + "); scale when it has ended");
		}
		int from = this.slots.size();
		if (workers == from) {
			return new Reply(200, null, "The cluster already runs " + workers + " workers");
		}
		logger.info("Scaling from " + from + " to " + workers + " worker(s) (" + trigger + ")");
		while (this.slots.size() < workers) {
			this.slots.add(new Slot(this.slots.size() + 1));
		}
		while (this.slots.size() > workers) {
			Slot removed = this.slots.remove(this.slots.size() - 1);
			if (removed == this.recycling) {
				this.recycling = null;
			}
			for (WorkerProcess worker : Arrays.asList(removed.current, removed.replacement)) {
				if (worker != null) {
					worker.retire();
					worker.stop(this.settings.shutdownTimeout());
				}
			}
		}
		this.launcher.workerCount(workers);
		return new Reply(202, null, "Scaling from " + from + " to " + workers + " workers; watch it with GET /actuator/cluster");
	}

	private List<Integer> allSlots() {
		return IntStream.rangeClosed(1, this.slots.size()).boxed().toList();
	}

	private Slot slot(int id) {
		return (id >= 1 && id <= this.slots.size()) ? this.slots.get(id - 1) : null;
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
				statuses.add(new ClusterStatus.Worker(slot.id, 0, (slot.failed ? WorkerState.FAILED : WorkerState.EXITED).name(),
						this.generation, null, Duration.ZERO, slot.restarts, 0, 0, 0, 0, 0, 0, slot.lastExit));
			}
		}
		return new ClusterStatus(ProcessHandle.current().pid(), this.startedAt,
				Duration.between(this.startedAt, Instant.now()), this.settings.policy().value(),
				this.frontDoor.ports().stream().map(PublicPort::port).toList(), this.slots.size(),
				this.settings.maxWorkers(), statuses,
				(this.reload != null) ? this.reload.status() : null, this.reloadsSucceeded, this.reloadsFailed);
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		return (millis < 60_000) ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
				: String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
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

		/** When it was restarted within the crash-loop window, oldest first. */
		private final Deque<Long> restartTimes = new ArrayDeque<>();

		/** In a crash loop (or cannot boot): not restarted until asked. */
		private boolean failed;

		private ClusterStatus.Exit lastExit;

		private long restartAt = System.nanoTime();

		/** A recycle whose replacement failed waits until then to try again. */
		private long recycleNotBefore = System.nanoTime();

		Slot(int id) {
			this.id = id;
		}

		void revive() {
			if (this.failed) {
				this.failed = false;
				this.restartTimes.clear();
				this.deaths = 0;
				this.restartAt = System.nanoTime();
			}
		}

	}

}
