package dev.bootcluster.primary;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import dev.bootcluster.channel.HopAddress;
import dev.bootcluster.channel.MalformedMessageException;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.Reply;
import dev.bootcluster.channel.Reply.Outcome;
import dev.bootcluster.channel.WorkerState;
import dev.bootcluster.frontdoor.PortKind;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What each message from a worker means, as a table from message type to a small handler
 * (like Node's primary), and the requests that change the cluster (reload, restart,
 * scale, upgrade) whether they come from the endpoint through a worker, from
 * {@code cluster.ctl} or from a signal. A message is validated (field count, numbers)
 * before a handler uses it.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class ControlRequests {

	private static final Log logger = LogFactory.getLog(ControlRequests.class);

	private final Arbiter arbiter;

	private final Map<Message.Type, Handler> handlers = new EnumMap<>(Message.Type.class);

	private final Map<Message.Type, Request> requests = new EnumMap<>(Message.Type.class);

	/** The other starter versions a worker has been seen ready with, each warned once. */
	private final Set<String> skewWarned = new HashSet<>();

	ControlRequests(Arbiter arbiter) {
		this.arbiter = arbiter;
		on(Message.Type.HEARTBEAT, 3, (worker, message) -> worker.heartbeat(message.longField(0), message.longField(1),
				message.longField(2)));
		on(Message.Type.RECYCLE, 1, (worker, message) -> worker.recycle(message.field(0)));
		on(Message.Type.READY, 2, this::ready);
		on(Message.Type.NOT_READY, 0, this::notReady);
		on(Message.Type.FAILED, 1, (worker, message) -> worker.failed(message.field(0)));
		on(Message.Type.NOTICE, 1, (worker, message) -> arbiter.notices().told(message.field(0)));
		ask(Message.Type.QUERY, 1,
				(asker, message) -> asker.accept(Message.status(message.field(0), arbiter.status())));
		ask(Message.Type.RELOAD, 2,
				(asker, message) -> reply(asker, message, reload(message.field(1), arbiter.table().slots())));
		ask(Message.Type.RESTART, 2, (asker, message) -> reply(asker, message, restart(message.field(1))));
		ask(Message.Type.SCALE, 3,
				(asker, message) -> reply(asker, message, scale(message.field(2), message.intField(1))));
		ask(Message.Type.UPGRADE, 2, (asker, message) -> reply(asker, message, upgrade(message.field(1))));
		on(Message.Type.SCRAPE, 2, this::scrape);
		on(Message.Type.METRICS, 3, (worker, message) -> arbiter.scrapes().metrics(worker, message));
		on(Message.Type.LEASE, 3, this::lease);
		on(Message.Type.SETTINGS, 0, (worker, message) -> arbiter.settingsReported(worker, properties(message)));
		on(Message.Type.RELEASE, 2, (worker, message) -> arbiter.leases()
			.release(worker, message.field(0), millis(message, 1), arbiter.now()));
	}

	private void on(Message.Type type, int fields, Handler handler) {
		this.handlers.put(type, (worker, message) -> {
			handler.handle(worker, message.requireFields(fields));
		});
	}

	/**
	 * A request the endpoint makes through a worker, or {@code cluster.ctl} directly:
	 * answered to whoever asked.
	 */
	private void ask(Message.Type type, int fields, Request request) {
		Request checked = (asker, message) -> request.answer(asker, message.requireFields(fields));
		this.requests.put(type, checked);
		on(type, 0, (worker, message) -> checked.answer(worker::send, message));
	}

	/**
	 * Answers a control client's request on its channel. One that cannot be answered (a
	 * type it may not send, fields that do not parse) is refused with an {@code ERROR}
	 * and the client cut off: nothing it sends reaches the supervision.
	 */
	void answer(WorkerChannel client, String who, Message message) {
		Request request = this.requests.get(message.type());
		try {
			if (request == null) {
				throw new MalformedMessageException(message, "is not a request " + who + " may make");
			}
			request.answer(client::send, message);
		}
		catch (MalformedMessageException ex) {
			logger.warn("Refused a request from " + who + ": " + ex.getMessage());
			client.send(Message.of(Message.Type.ERROR, "Refused by the cluster's primary: " + ex.getMessage()));
			client.close();
		}
	}

	/**
	 * Handles one message from a worker; a type this primary does not expect is ignored.
	 */
	void dispatch(WorkerProcess worker, Message message) {
		Handler handler = this.handlers.get(message.type());
		if (handler != null) {
			handler.handle(worker, message);
		}
		else {
			logger.debug("Ignored " + message.type() + " from " + worker);
		}
	}

	private void ready(WorkerProcess worker, Message message) {
		if (!worker.canBeReady()) {
			return;
		}
		SocketAddress server = address(message, 0);
		SocketAddress management = address(message, 1);
		if (server == null) {
			logger.error(worker + " is ready but runs no web server: a cluster needs a web application");
			this.arbiter.stop("the application has no web server", ClusterExitCode.CANNOT_START);
			return;
		}
		Map<PortKind, SocketAddress> addresses = new HashMap<>();
		addresses.put(PortKind.SERVER, server);
		if (management != null) {
			addresses.put(PortKind.MANAGEMENT, management);
		}
		boolean again = worker.wasReady();
		String version = (message.fields().size() > 4 && !message.field(4).isEmpty()) ? message.field(4) : null;
		worker.ready(addresses, proxyProtocolPorts(message), version);
		warnIfSkewed(worker, version);
		this.arbiter.table().sawReady();
		if (again) {
			logger.info(worker + " is accepting traffic again; back in rotation");
		}
		else {
			logger.info(worker + " ready in " + Arbiter.format(worker.startupTime()));
			this.arbiter.membership().ready(worker);
		}
	}

	/**
	 * Warns once per version when a worker of another starter version than this primary's
	 * is ready: a reload brought a new starter, which only an upgrade of the primary
	 * runs.
	 */
	private void warnIfSkewed(WorkerProcess worker, @Nullable String version) {
		String own = Arbiter.STARTER_VERSION;
		if (version != null && !version.equals(own) && this.skewWarned.add(version)) {
			logger.warn(worker + " runs Boot Cluster " + version + ", this primary "
					+ ((own != null) ? own : "an unknown version") + ": upgrade the primary to run the new version ("
					+ this.arbiter.upgradeCommands() + ")");
		}
	}

	/**
	 * READY's third and fourth fields: whether the server, and the management server,
	 * read a PROXY header.
	 */
	private static Set<PortKind> proxyProtocolPorts(Message message) {
		Set<PortKind> ports = new HashSet<>();
		if (message.fields().size() > 2 && Boolean.parseBoolean(message.field(2))) {
			ports.add(PortKind.SERVER);
		}
		if (message.fields().size() > 3 && Boolean.parseBoolean(message.field(3))) {
			ports.add(PortKind.MANAGEMENT);
		}
		return ports;
	}

	/** Asks every other ready worker for its metrics, for the asker's scrape. */
	private void scrape(WorkerProcess asker, Message message) {
		List<WorkerProcess> others = this.arbiter.table()
			.workers()
			.stream()
			.filter((worker) -> worker != asker && worker.state() == WorkerState.READY)
			.toList();
		this.arbiter.scrapes()
			.start(asker, message.field(0), message.fields().subList(2, message.fields().size()),
					Duration.ofMillis(message.longField(1)), others, this.arbiter.now());
	}

	/** Grants a lease, or says who holds it. */
	private void lease(WorkerProcess worker, Message message) {
		String name = message.field(1);
		long now = this.arbiter.now();
		boolean granted = this.arbiter.leases().acquire(worker, name, millis(message, 2), now);
		worker.send(Message.of(Message.Type.LEASE_STATE, message.field(0), granted,
				this.arbiter.leases().holderId(name, now)));
	}

	private static Duration millis(Message message, int index) {
		long millis = message.longField(index);
		if (millis < 0) {
			throw new MalformedMessageException(message, "field " + index + " is a negative time: " + millis);
		}
		return Duration.ofMillis(millis);
	}

	private void notReady(WorkerProcess worker, Message message) {
		if (worker.state() == WorkerState.READY) {
			logger.info(worker + " is refusing traffic; taken out of rotation");
		}
		worker.retire();
	}

	/** A reload asked by a signal: a refusal has no caller to answer, so it is logged. */
	void reloadBySignal(String signal) {
		warnIfRefused(signal, reload(signal, this.arbiter.table().slots()));
	}

	/** A scale asked by a signal: a refusal has no caller to answer, so it is logged. */
	void scaleBySignal(String signal, int change) {
		warnIfRefused(signal, scale(signal, this.arbiter.table().size() + change));
	}

	/**
	 * Starts an upgrade of the primary, asked by a signal, the endpoint or
	 * {@code cluster.ctl}; one that cannot start now is refused with a WARN, as the
	 * operator must see it whoever asked (a signal has no caller to answer).
	 */
	Reply upgrade(String trigger) {
		Reply reply = this.arbiter.startUpgrade(trigger);
		if (reply.outcome() != Outcome.ACCEPTED) {
			logger.warn("Refused an upgrade (" + trigger + "): " + reply.message());
		}
		return reply;
	}

	private void warnIfRefused(String signal, Reply reply) {
		if (reply.outcome() != Outcome.ACCEPTED && reply.outcome() != Outcome.DONE && reply.outcome() != Outcome.BUSY) {
			// BUSY has been logged where it was decided.
			logger.warn("Ignored " + signal + ": " + reply.message());
		}
	}

	private Reply restart(String workerId) {
		int size = this.arbiter.table().size();
		Slot slot = this.arbiter.table().slot(parseOrZero(workerId));
		if (slot == null) {
			return new Reply(Outcome.NO_SUCH_WORKER, null, "No worker " + workerId + ": worker ids are 1 to " + size);
		}
		return reload("restart of worker " + slot.id, List.of(slot));
	}

	private Reply reload(String trigger, List<Slot> slots) {
		if (this.arbiter.isStopping()) {
			return new Reply(Outcome.UNAVAILABLE, null, "The cluster is stopping");
		}
		if (!this.arbiter.table().everReady()) {
			return new Reply(Outcome.UNAVAILABLE, null, "No worker is ready yet: the cluster is still starting");
		}
		Replacements replacements = this.arbiter.replacements();
		if (replacements.isReloading()) {
			RollingReload running = Objects.requireNonNull(replacements.reload());
			logger.warn("Refused a reload (" + trigger + "): " + running + " is still running");
			return new Reply(Outcome.BUSY, running.id(),
					running.id() + " is still running (" + running.progress() + "); try again when it has ended");
		}
		RollingReload reload = replacements.startReload(trigger, List.copyOf(slots), this.arbiter.now());
		return new Reply(Outcome.ACCEPTED, reload.id(), "Replacing " + slots.size() + " worker(s) one at a time");
	}

	/**
	 * Adds workers, or retires and stops the highest-numbered ones, so that the cluster
	 * runs {@code workers}.
	 */
	private Reply scale(String trigger, int workers) {
		int max = this.arbiter.settings().maxWorkers();
		if (workers < 1 || workers > max) {
			return new Reply(Outcome.INVALID, null,
					"Cannot scale to " + workers + " workers: choose from 1 to " + max + " (cluster.max-workers)");
		}
		if (this.arbiter.isStopping()) {
			return new Reply(Outcome.UNAVAILABLE, null, "The cluster is stopping");
		}
		Replacements replacements = this.arbiter.replacements();
		if (replacements.isReloading()) {
			RollingReload running = Objects.requireNonNull(replacements.reload());
			logger.warn("Refused a scale (" + trigger + "): " + running + " is still running");
			return new Reply(Outcome.BUSY, running.id(),
					running.id() + " is running (" + running.progress() + "); scale when it has ended");
		}
		int from = this.arbiter.table().size();
		if (workers == from) {
			return new Reply(Outcome.DONE, null, "The cluster already runs " + workers + " workers");
		}
		resize(trigger, workers);
		return new Reply(Outcome.ACCEPTED, null, "Scaling from " + from + " to " + workers + " workers");
	}

	/**
	 * Adds slots, filled at the next converge, or retires and stops the workers of the
	 * highest-numbered ones, so that the cluster runs {@code workers}.
	 */
	void resize(String trigger, int workers) {
		logger.info("Scaling from " + this.arbiter.table().size() + " to " + workers + " worker(s) (" + trigger + ")");
		Replacements replacements = this.arbiter.replacements();
		for (Slot removed : this.arbiter.table().resize(workers)) {
			replacements.forget(removed);
			for (WorkerProcess worker : new WorkerProcess[] { removed.current, removed.replacement }) {
				if (worker != null) {
					replacements.retire(worker, "scaled down");
				}
			}
		}
	}

	/** SETTINGS' fields, each {@code name=value}, in order. */
	private static Map<String, String> properties(Message message) {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String field : message.fields()) {
			int equals = field.indexOf('=');
			if (equals < 1) {
				throw new MalformedMessageException(message, "'" + field + "' is not a name=value property");
			}
			properties.put(field.substring(0, equals), field.substring(equals + 1));
		}
		return properties;
	}

	private static void reply(Consumer<Message> asker, Message request, Reply reply) {
		asker.accept(Message.reply(request.field(0), reply));
	}

	private static @Nullable SocketAddress address(Message message, int index) {
		try {
			return HopAddress.parse(message.field(index));
		}
		catch (RuntimeException ex) {
			throw new MalformedMessageException(message,
					"field " + index + " is not a port or a Unix socket path: '" + message.field(index) + "'");
		}
	}

	private static int parseOrZero(String number) {
		try {
			return Integer.parseInt(number);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** Handles one type of message from a worker. */
	@FunctionalInterface
	private interface Handler {

		void handle(WorkerProcess worker, Message message);

	}

	/** Answers one type of request, from a worker or a control client, to its asker. */
	@FunctionalInterface
	private interface Request {

		void answer(Consumer<Message> asker, Message message);

	}

}
