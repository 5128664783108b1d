package dev.bootcluster.primary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.Reply;
import dev.bootcluster.channel.StarterVersion;
import dev.bootcluster.primary.RestartPolicy.Stop;
import dev.bootcluster.channel.MalformedMessageException;
import dev.bootcluster.frontdoor.PublicPort;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The supervisor: one loop that converges the real workers to the desired state (N
 * workers of the current generation, in rotation while ready, each alive and within its
 * limits), like Gunicorn's arbiter. Channel readers, process exits, signals and endpoint
 * requests only post {@link Event events}; each turn handles one under a guard, then
 * converges: empty slots are filled, {@link Liveness} watches the workers,
 * {@link Replacements} takes its next step and stops the retired workers that the front
 * door has no request in flight on (checked every {@link #DRAIN_CHECK_INTERVAL} while one
 * waits: the arbiter never blocks on the front door), {@link Leases} end those of workers
 * gone or leaving, and {@link Membership} tells the ready workers what happened. What to
 * do about a death is the {@link RestartPolicy}'s decision, what a message means the
 * {@link ControlRequests}', what a reload's new version changes of the settings
 * {@link SettingsChange}'s.
 * <p>
 * Threads: the thread in {@link #run} owns every field and every policy object but
 * {@link #events}; the {@link ControlServer} readers, the JDK's process reaper and signal
 * handlers only enqueue.
 */
final class Arbiter implements ControlServer.Listener {

	private static final Log logger = LogFactory.getLog(Arbiter.class);

	/**
	 * How often a retired worker is checked for requests still in flight on it: cheap,
	 * and short for a reload.
	 */
	private static final Duration DRAIN_CHECK_INTERVAL = Duration.ofMillis(50);

	/** The starter version this primary runs. */
	static final @Nullable String STARTER_VERSION = StarterVersion.current();

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	/** What it runs with: those it started with, then a reload's new version's. */
	private ClusterSettings settings;

	/** The public ports as configured at start (0 where any free port was asked for). */
	private final List<PublicPort> ports;

	private final SettingsReader settingsReader;

	/**
	 * The properties the last reload's version changed that only a restart applies.
	 */
	private List<String> restartPending = List.of();

	private final Rotation rotation;

	private final Ticker ticker;

	private final Instant startedAt = Instant.now();

	private final WorkerTable table;

	private final RestartPolicy restarts;

	private final Liveness liveness;

	/**
	 * A retired worker waits for the front door's requests to it to be answered before it
	 * is stopped.
	 */
	private boolean draining;

	private final Replacements replacements;

	private final ControlRequests requests;

	private final Notices notices = Notices.forNewCluster();

	private final Scrapes scrapes = new Scrapes();

	private final Leases leases = new Leases();

	private final Membership membership = new Membership();

	private final Upgrade upgrade;

	/** Stopping after handing the ports over to a new primary. */
	private boolean handedOver;

	private boolean stopping;

	private int exitCode = ClusterExitCode.STOPPED;

	Arbiter(ClusterSettings settings, List<PublicPort> ports, SettingsReader settingsReader, Rotation rotation,
			Ticker ticker) {
		this(settings, ports, settingsReader, rotation, ticker,
				new Upgrade(null, List.of(), new PidFile(null), "the cluster endpoint's upgrade"));
	}

	Arbiter(ClusterSettings settings, List<PublicPort> ports, SettingsReader settingsReader, Rotation rotation,
			Ticker ticker, Upgrade upgrade) {
		this.upgrade = upgrade;
		this.settings = settings;
		this.ports = List.copyOf(ports);
		this.settingsReader = settingsReader;
		this.rotation = rotation;
		this.ticker = ticker;
		this.table = new WorkerTable(settings.workers(), settings.supervision(), settings.startConcurrency(), ticker,
				this::exited, this.membership);
		this.restarts = new RestartPolicy(settings.backoff(), settings.supervision());
		this.liveness = new Liveness(settings, ticker.nanos());
		this.replacements = new Replacements(settings, this.membership);
		this.requests = new ControlRequests(this);
	}

	/**
	 * Runs the cluster until it has stopped.
	 * @return the primary's exit code, one of {@link ClusterExitCode}
	 */
	int run(Launcher launcher) throws InterruptedException {
		this.table.use(launcher);
		while (!isFinished()) {
			convergeGuarded();
			handle(this.events.poll(millisUntilNextDeadline(), TimeUnit.MILLISECONDS));
		}
		return this.exitCode;
	}

	/** One turn without waiting, for tests: every event queued now, then a converge. */
	void turn() {
		for (Event event = this.events.poll(); event != null; event = this.events.poll()) {
			handle(event);
		}
		convergeGuarded();
	}

	void use(Launcher launcher) {
		this.table.use(launcher);
	}

	/** Whether every worker has stopped after a shutdown. */
	boolean isFinished() {
		return this.stopping && this.table.isEmpty();
	}

	int exitCode() {
		return this.exitCode;
	}

	/**
	 * What the user reads once per cluster start, and the cluster's generated password.
	 */
	Notices notices() {
		return this.notices;
	}

	/**
	 * Asks for the cluster to run {@code change} more (or fewer) workers; a signal's
	 * request.
	 */
	void scale(String trigger, int change) {
		post(0, "a scale by " + trigger, (arbiter) -> arbiter.requests.scaleBySignal(trigger, change));
	}

	/**
	 * Asks for a graceful shutdown; asked again while stopping, kills every worker. While
	 * a new primary is under way (an upgrade), hands the ports over to it instead: it
	 * asks for this once its workers are ready.
	 */
	void shutdown(String reason) {
		post(0, "a shutdown by " + reason, (arbiter) -> {
			if (!arbiter.stopping && arbiter.upgrade.isUnderWay()) {
				arbiter.handOver(reason);
			}
			else {
				arbiter.stop(reason, ClusterExitCode.STOPPED);
			}
		});
	}

	/** Asks for an upgrade of the primary itself; a signal's request. */
	void upgrade(String trigger) {
		post(0, "an upgrade by " + trigger, (arbiter) -> arbiter.requests.upgrade(trigger));
	}

	/**
	 * Starts an upgrade of the primary itself, unless the cluster is starting or
	 * stopping, or one is under way.
	 */
	Reply startUpgrade(String trigger) {
		if (this.stopping) {
			return new Reply(Reply.Outcome.UNAVAILABLE, null, "The cluster is stopping");
		}
		if (!this.table.everReady()) {
			return new Reply(Reply.Outcome.UNAVAILABLE, null, "No worker is ready yet: the cluster is still starting");
		}
		return this.upgrade.start(trigger, (pid, exitCode) -> post(0, "the exit of the new primary",
				(self) -> self.upgrade.successorExited(pid, exitCode, self.handedOver)));
	}

	/**
	 * A worker was refused for {@code reason} (its starter speaks another protocol
	 * version): it exits as one that cannot boot, and a reload to its version fails,
	 * saying how to upgrade the primary instead. {@code pid} is what the worker claimed.
	 */
	@Override
	public void refused(long pid, String reason) {
		post(0, "a refused worker", (arbiter) -> {
			String failure = reason + ": upgrade the primary to the new version (" + arbiter.upgrade.commands() + ")";
			WorkerProcess worker = arbiter.table.worker(pid);
			logger.error("Refused " + ((worker != null) ? worker : "a worker (pid " + pid + ")") + ": " + failure);
			if (worker != null) {
				worker.failed(failure);
			}
		});
	}

	/** How an operator asks this primary for an upgrade. */
	String upgradeCommands() {
		return this.upgrade.commands();
	}

	/** Whether {@code pid} is the new primary of an upgrade, which outlives this one. */
	boolean isSuccessor(long pid) {
		return this.upgrade.isSuccessor(pid);
	}

	/**
	 * The front door can no longer serve every connection (a relay loop died): rather
	 * than serve half a port, the cluster stops and the primary exits non-zero.
	 */
	void frontDoorFailed(Throwable cause) {
		post(0, "a front door failure", (arbiter) -> {
			logger.error("The front door failed and no longer serves every connection; stopping the cluster", cause);
			arbiter.stop("the front door failed", ClusterExitCode.FRONT_DOOR_FAILED);
		});
	}

	/** Asks for a rolling reload of every worker; a signal's request. */
	void reload(String trigger) {
		post(0, "a reload by " + trigger, (arbiter) -> arbiter.requests.reloadBySignal(trigger));
	}

	@Override
	public void connected(long pid, Channel channel) {
		connected(pid, new ChannelEnd(channel));
	}

	void connected(long pid, WorkerChannel channel) {
		post(pid, "a connection", (arbiter) -> arbiter.onConnected(pid, channel));
	}

	@Override
	public void received(long pid, Message message) {
		post(pid, "a " + message.type() + " message", (arbiter) -> arbiter.onMessage(pid, message));
	}

	@Override
	public void closed(long pid) {
		post(pid, "a closed channel", (arbiter) -> arbiter.onChannelClosed(pid));
	}

	@Override
	public void request(long pid, Channel client, Message request) {
		request(pid, new ChannelEnd(client), request);
	}

	void request(long pid, WorkerChannel client, Message request) {
		String who = "cluster.ctl (pid " + pid + ")";
		post(0, "a " + request.type() + " from " + who, (arbiter) -> arbiter.requests.answer(client, who, request));
	}

	/** A worker process ended (reported on the JDK's process reaper). */
	void exited(long pid, int exitValue) {
		post(0, "the exit of pid " + pid, (arbiter) -> arbiter.onExit(pid, exitValue));
	}

	private void post(long pid, String what, Consumer<Arbiter> action) {
		this.events.add(new Event(pid, what, action));
	}

	/**
	 * Applies an event under a guard: whatever goes wrong, the loop goes on. An event
	 * from a worker that cannot be handled cuts that worker off; it is replaced as
	 * crashed.
	 */
	private void handle(Event event) {
		if (event == null) {
			return;
		}
		try {
			event.action.accept(this);
		}
		catch (RuntimeException ex) {
			WorkerProcess worker = this.table.worker(event.pid);
			String problem = (ex instanceof MalformedMessageException) ? ex.getMessage() : ex.toString();
			if (worker == null) {
				logger.error("Could not handle " + event.what + ": " + problem, ex);
				return;
			}
			logger.error(
					"Could not handle " + event.what + " from " + worker + ": " + problem
							+ "; cut it off, it is replaced as crashed",
					(ex instanceof MalformedMessageException) ? null : ex);
			worker.disconnect();
			cutOff(worker);
		}
	}

	/** Converges; a failure is logged and the next turn tries again. */
	private void convergeGuarded() {
		try {
			converge();
		}
		catch (RuntimeException ex) {
			logger.error("Could not supervise the workers this turn: " + ex, ex);
		}
	}

	private void converge() {
		long now = this.ticker.nanos();
		for (Slot slot : this.table.emptySlotsDue(now)) {
			if (!this.stopping) {
				fill(slot, now);
			}
		}
		for (WorkerProcess hung : this.liveness.watch(now, this.table.workers(), !this.stopping)) {
			Slot slot = this.table.slot(hung.id());
			this.leases.hung(hung);
			if (slot != null && slot.current == hung) {
				slot.current = null;
				stopIf(this.restarts.afterHang(slot, this.table.slots(), now));
			}
		}
		if (!this.stopping) {
			this.replacements.step(this.table, now);
		}
		this.scrapes.expire(now);
		this.leases.review(this.table, now);
		this.table.publish(this.rotation);
		this.draining = this.replacements.stopDrained(this.table.workers(), this.rotation, now);
		this.membership.tell(this.table.workers());
		if (!this.stopping && this.upgrade.readyToTakeOver(this.table)) {
			takeOver();
		}
		else if (!this.stopping && this.upgrade.cannotTakeOver(this.table)) {
			logger.error("A worker slot is FAILED before this primary took over; the primary it upgrades serves on");
			stop("the upgrade cannot take over", ClusterExitCode.CANNOT_START);
		}
	}

	/** A new primary whose workers are ready takes the ports over from the old one. */
	private void takeOver() {
		try {
			this.upgrade.takeOver(this.rotation);
		}
		catch (IOException ex) {
			logger.error("Could not bind the ports the primary upgraded serves; it serves on", ex);
			stop("the upgrade could not bind its ports", ClusterExitCode.CANNOT_START);
		}
	}

	/**
	 * The new primary listens on the ports: once new connections go to it, every worker
	 * is retired (its keep-alive clients move to the new primary too), and stopped once
	 * it has answered what the front door sent it; then the primary exits 0.
	 */
	private void handOver(String reason) {
		logger.info("Handing the ports over to the new primary, pid " + this.upgrade.successorPid() + " (" + reason
				+ "); stopping " + this.table.workers().size() + " worker(s) once they have answered");
		this.handedOver = true;
		this.stopping = true;
		this.exitCode = ClusterExitCode.STOPPED;
		this.replacements.abort("the primary is upgrading");
		this.rotation.handOver(this.upgrade.successorPid())
			.thenRun(() -> post(0, "the hand-over", (arbiter) -> arbiter.table.workers()
				.forEach((worker) -> arbiter.replacements.retire(worker, "the primary upgraded"))));
	}

	private void fill(Slot slot, long now) {
		try {
			slot.current = this.table.launch(slot.id, this.replacements.generation());
			logger.info("Starting " + slot.current + ((slot.restarts > 0) ? " (restart " + slot.restarts + ")" : ""));
		}
		catch (IOException ex) {
			stopIf(this.restarts.cannotLaunch(slot, ex, this.table.everReady(), now));
		}
	}

	private long millisUntilNextDeadline() {
		long now = this.ticker.nanos();
		long next = this.liveness.nanosUntilNext(now, this.table.workers(), !this.stopping);
		if (!this.stopping) {
			next = this.table.nanosUntilNextStart(now, next);
		}
		next = this.scrapes.nanosUntilNext(now, next);
		if (this.draining) {
			next = Math.min(next, DRAIN_CHECK_INTERVAL.toNanos());
		}
		return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
	}

	private void onConnected(long pid, WorkerChannel channel) {
		WorkerProcess worker = this.table.worker(pid);
		if (worker == null) {
			logger.warn("Closed a control connection from pid " + pid + ", which is not a worker of this cluster");
			channel.close();
			return;
		}
		worker.connected(channel);
	}

	private void onMessage(long pid, Message message) {
		WorkerProcess worker = this.table.worker(pid);
		// A worker cut off may still have messages on the way: they are not heard any
		// more.
		if (worker != null && !worker.isKilled()) {
			worker.heard(this.ticker.nanos());
			this.requests.dispatch(worker, message);
		}
	}

	/**
	 * A worker reported the settings its Environment has. Those of a reload's first new
	 * worker are the new version's, read exactly as at start: valid ones apply now; an
	 * invalid one fails the reload, as a version that cannot boot does.
	 */
	void settingsReported(WorkerProcess worker, Map<String, String> properties) {
		RollingReload reload = this.replacements.reload();
		if (reload == null || !this.replacements.readsSettingsOf(worker)) {
			return;
		}
		SettingsChange change;
		try {
			change = SettingsChange.between(this.settings, this.ports, this.settingsReader.read(properties));
		}
		catch (RuntimeException ex) {
			this.replacements.refuse(worker, "runs a version whose settings are invalid: " + ex.getMessage());
			return;
		}
		this.restartPending = List.copyOf(change.restartPending());
		if (!this.restartPending.isEmpty()) {
			logger.warn(reload + ": the new version changes " + String.join(", ", this.restartPending)
					+ ", which needs a restart of the primary or an upgrade (" + this.upgrade.commands()
					+ "); until then it runs with the values it started with");
		}
		if (!change.changes().isEmpty()) {
			logger.info(reload + " applies the new version's settings: " + String.join(", ", change.changes()));
			use(change.applied());
		}
	}

	/**
	 * Runs with {@code applied} from now on: every policy uses it, every running worker
	 * gets its limits, later workers are launched with it, and the cluster is resized to
	 * its count.
	 */
	private void use(ClusterSettings applied) {
		this.settings = applied;
		this.table.use(applied);
		this.restarts.use(applied);
		this.liveness.use(applied);
		this.replacements.use(applied);
		this.table.workers()
			.stream()
			.filter((worker) -> !worker.isStopping())
			.forEach((worker) -> worker.limit(applied.supervision()));
		if (applied.workers() != this.table.size()) {
			this.requests.resize("the new version's cluster.workers", applied.workers());
		}
	}

	private void onChannelClosed(long pid) {
		WorkerProcess worker = this.table.worker(pid);
		if (worker != null && !worker.isStopping()) {
			cutOff(worker);
		}
	}

	/**
	 * A worker that lost its channel is dying or broken: out of rotation now, not when
	 * its exit is reaped, and made sure to die, so that it is replaced.
	 */
	private void cutOff(WorkerProcess worker) {
		worker.lose();
		worker.kill();
	}

	private void onExit(long pid, int exitValue) {
		WorkerProcess worker = this.table.remove(pid);
		if (worker == null) {
			return;
		}
		boolean expected = worker.isStopping() || worker.isDrainingToStop();
		worker.exited();
		this.membership.exited(worker, exitValue);
		Slot slot = this.table.slot(worker.id());
		if (slot == null) {
			logger.info(worker + " stopped (" + worker.stopCause() + ")");
			return;
		}
		slot.lastExit = new ClusterStatus.Exit(exitValue, ExitStatus.signal(exitValue), Instant.now());
		if (slot.current == worker) {
			slot.current = null;
		}
		if (expected || this.stopping) {
			if (slot.replacement == worker) {
				slot.replacement = null;
			}
			logger.info(worker + " stopped (" + worker.stopCause()
					+ (ExitStatus.isCleanStop(exitValue) ? "" : "; it " + ExitStatus.describe(exitValue)) + ")");
			return;
		}
		long now = this.ticker.nanos();
		if (slot.replacement == worker) {
			String cause = (worker.failure() != null) ? worker.failure() : ExitStatus.describe(exitValue);
			this.replacements.replacementDied(slot, worker, cause, now);
			return;
		}
		stopIf(this.restarts.afterDeath(slot, worker, exitValue, this.table.everReady(), this.table.slots(), now));
	}

	private void stopIf(@Nullable Stop stop) {
		if (stop != null) {
			stop(stop.reason(), stop.exitCode());
		}
	}

	/**
	 * Stops the cluster: no new connection, every worker asked to stop gracefully, and
	 * the primary then exits with {@code exitCode}. Asked again while stopping, kills
	 * every worker.
	 */
	void stop(String reason, int exitCode) {
		if (this.stopping) {
			if (!this.table.isEmpty()) {
				logger.warn(
						"Asked again to stop (" + reason + "); killing " + this.table.workers().size() + " worker(s)");
				this.table.workers().forEach(WorkerProcess::kill);
			}
			return;
		}
		this.stopping = true;
		this.exitCode = exitCode;
		logger.info("Stopping the cluster (" + reason + ")");
		this.replacements.abort("the cluster is stopping");
		this.rotation.stopAccepting();
		this.table.workers()
			.forEach((worker) -> worker.stop(this.settings.shutdownTimeout(), "the cluster is stopping"));
	}

	boolean isStopping() {
		return this.stopping;
	}

	ClusterSettings settings() {
		return this.settings;
	}

	WorkerTable table() {
		return this.table;
	}

	Replacements replacements() {
		return this.replacements;
	}

	Scrapes scrapes() {
		return this.scrapes;
	}

	Leases leases() {
		return this.leases;
	}

	Membership membership() {
		return this.membership;
	}

	long now() {
		return this.ticker.nanos();
	}

	ClusterStatus status() {
		return new ClusterStatus(ProcessHandle.current().pid(), this.startedAt,
				Duration.between(this.startedAt, Instant.now()), this.settings.policy().value(), this.rotation.ports(),
				this.rotation.extraPorts(), this.table.size(), this.settings.maxWorkers(),
				this.table.status(this.replacements.generation()),
				(this.replacements.reload() != null) ? this.replacements.reload().status() : null,
				this.replacements.reloadsSucceeded(), this.replacements.reloadsFailed(), this.rotation.failedRequests(),
				this.restartPending, STARTER_VERSION, StarterVersion.skewed(STARTER_VERSION,
						this.table.workers().stream().map(WorkerProcess::starterVersion).toList()));
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		return (millis < 60_000) ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
				: String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
	}

	/**
	 * Something that happened, applied on the arbiter's thread: from the worker with
	 * {@code pid} (0 if from none), described as {@code what} if it fails.
	 */
	private record Event(long pid, String what, Consumer<Arbiter> action) {
	}

}
