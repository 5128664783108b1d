package dev.bootcluster.primary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import dev.bootcluster.channel.Reply;
import dev.bootcluster.channel.WorkerState;
import dev.bootcluster.frontdoor.PublicPort;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's upgrade of itself without closing its ports, as Gunicorn's and nginx's
 * binary upgrade. The old primary starts a new one from its own command line (so from the
 * jar now on disk), which binds the same ports with SO_REUSEPORT only once its own
 * workers are ready, then tells the old one (SIGTERM); the old one hands over: it accepts
 * what waits in its backlog, closes its listening sockets, relays the connections it
 * holds to the new primary at their next request boundary, stops its workers once they
 * have answered, and exits 0. A new primary that cannot start or whose workers cannot
 * boot exits before it binds: the old cluster serves on, untouched.
 * <p>
 * Threads: the arbiter thread owns it; {@link #isSuccessor} is read by the shutdown hook.
 */
final class Upgrade {

	private static final Log logger = LogFactory.getLog(Upgrade.class);

	/** In a new primary's environment: the pid of the primary it upgrades. */
	static final String UPGRADE_OF = "CLUSTER_UPGRADE_OF";

	/**
	 * In a new primary's environment: the ports the old one serves, as bound (a port
	 * configured 0 keeps the one the system chose), {@code kind=port} separated by
	 * commas.
	 */
	static final String PORTS = "CLUSTER_UPGRADE_PORTS";

	/** The primary this one upgrades, until it has taken over; null if none. */
	private final @Nullable Long predecessor;

	private final List<PublicPort> ports;

	private final PidFile pidFile;

	private final Starter starter;

	/** The endpoint's upgrade operation, as the application maps it, for the logs. */
	private final String endpoint;

	private boolean tookOver;

	/** The new primary this one started, until it exits or has taken over. */
	private @Nullable Process successor;

	private volatile long successorPid;

	Upgrade(@Nullable Long predecessor, List<PublicPort> ports, PidFile pidFile, String endpoint) {
		this(predecessor, ports, pidFile, endpoint, ProcessBuilder::start);
	}

	Upgrade(@Nullable Long predecessor, List<PublicPort> ports, PidFile pidFile, String endpoint, Starter starter) {
		this.predecessor = predecessor;
		this.ports = List.copyOf(ports);
		this.pidFile = pidFile;
		this.endpoint = endpoint;
		this.starter = starter;
	}

	/** How an operator asks this primary for an upgrade, for the messages that say to. */
	String commands() {
		return UpgradeCommands.current(this.endpoint);
	}

	/**
	 * The primary listens: one that upgrades none is the main process from now on, and
	 * its pid goes in the pid file; an upgrade's new primary writes it as it takes over.
	 */
	void started() {
		if (this.predecessor == null) {
			this.pidFile.write();
		}
	}

	/** The primary ends: its pid leaves the pid file, unless a new primary's is there. */
	void ended() {
		this.pidFile.removeIfOwn();
	}

	/** How the start-up line says what this primary serves. */
	String serving() {
		return (this.predecessor != null)
				? "upgrading the primary pid " + this.predecessor + ", to serve once its workers are ready,"
				: "serving";
	}

	/** The primary this process upgrades, from its environment; null if none. */
	static @Nullable Long predecessor(Map<String, String> environment) {
		String pid = environment.get(UPGRADE_OF);
		return (pid != null && pid.matches("[0-9]{1,18}")) ? Long.valueOf(pid) : null;
	}

	/**
	 * {@code ports} with each one configured 0 replaced by the port the old primary
	 * serves, so that an upgrade keeps the ports the system chose.
	 */
	static List<PublicPort> withPredecessorPorts(List<PublicPort> ports, Map<String, String> environment) {
		Map<String, Integer> predecessorPorts = new HashMap<>();
		String value = environment.getOrDefault(PORTS, "");
		for (String entry : value.split(",")) {
			String[] kindAndPort = entry.split("=", 2);
			if (kindAndPort.length == 2 && kindAndPort[1].matches("[0-9]{1,5}")) {
				predecessorPorts.put(kindAndPort[0], Integer.valueOf(kindAndPort[1]));
			}
		}
		List<PublicPort> resolved = new ArrayList<>();
		for (PublicPort port : ports) {
			Integer bound = predecessorPorts.get(port.kind().name());
			resolved
				.add((port.port() == 0 && bound != null) ? new PublicPort(port.kind(), port.address(), bound) : port);
		}
		return resolved;
	}

	static String describe(List<PublicPort> ports) {
		return ports.stream().map((port) -> port.kind().name() + "=" + port.port()).collect(Collectors.joining(","));
	}

	/**
	 * Starts the new primary, unless one is already under way or this one has not taken
	 * over yet; its exit is reported to {@code exited} (pid, exit code) on another
	 * thread.
	 * @return what came of it, for whoever asked
	 */
	Reply start(String trigger, BiConsumer<Long, Integer> exited) {
		if (this.successor != null) {
			return new Reply(Reply.Outcome.BUSY, null, "An upgrade is under way: the new primary (pid "
					+ this.successor.pid() + ") has not taken over yet");
		}
		if (this.predecessor != null && !this.tookOver) {
			return new Reply(Reply.Outcome.UNAVAILABLE, null, "This primary is itself the new primary of an upgrade ("
					+ "of pid " + this.predecessor + ") and has not taken over yet");
		}
		ProcessBuilder builder = new ProcessBuilder(JavaCommand.current().with(List.of())).inheritIO();
		builder.environment().put(UPGRADE_OF, Long.toString(ProcessHandle.current().pid()));
		builder.environment().put(PORTS, describe(this.ports));
		Process process;
		try {
			process = this.starter.start(builder);
		}
		catch (IOException ex) {
			return new Reply(Reply.Outcome.UNAVAILABLE, null,
					"Could not start a new primary (" + ex.getMessage() + "); this primary serves on");
		}
		this.successor = process;
		this.successorPid = process.pid();
		logger.info("Upgrading the primary (" + trigger + "): started a new one, pid " + process.pid()
				+ "; this one serves until its workers are ready");
		process.onExit().thenAccept((ended) -> exited.accept(ended.pid(), ended.exitValue()));
		return new Reply(Reply.Outcome.ACCEPTED, null, "Upgrading the primary: started a new one, pid " + process.pid()
				+ ", from the command line (the jar now on disk); it takes over the ports once its workers are ready");
	}

	/** Whether a new primary this one started is alive and has not taken over yet. */
	boolean isUnderWay() {
		return this.successor != null && this.successor.isAlive();
	}

	long successorPid() {
		return this.successorPid;
	}

	/** Whether {@code pid} is the new primary, which outlives this one. */
	boolean isSuccessor(long pid) {
		return pid == this.successorPid;
	}

	/** The new primary ended: before it took over, the upgrade failed. */
	void successorExited(long pid, int exitCode, boolean handedOver) {
		if (this.successor == null || this.successor.pid() != pid) {
			return;
		}
		this.successor = null;
		if (!handedOver) {
			this.successorPid = 0;
			logger.warn("The upgrade failed: the new primary (pid " + pid + ") exited with code " + exitCode
					+ " before it took over; this primary serves on");
		}
	}

	/**
	 * In a new primary: whether it should take over now, every slot having a ready
	 * worker.
	 */
	boolean readyToTakeOver(WorkerTable table) {
		return this.predecessor != null && !this.tookOver
				&& table.slots()
					.stream()
					.allMatch((slot) -> slot.current != null && slot.current.state() == WorkerState.READY);
	}

	/**
	 * In a new primary: whether a worker slot is FAILED before it took over, so that it
	 * never will; it should exit, and the old primary serves on.
	 */
	boolean cannotTakeOver(WorkerTable table) {
		return this.predecessor != null && !this.tookOver && table.slots().stream().anyMatch((slot) -> slot.failed);
	}

	/**
	 * Listens on the ports next to the old primary, then tells it to hand over.
	 * @throws IOException if a port cannot be bound: the old primary serves on
	 */
	void takeOver(Rotation rotation) throws IOException {
		long from = Objects.requireNonNull(this.predecessor);
		this.tookOver = true;
		rotation.listen();
		this.pidFile.write();
		ProcessHandle.of(from).ifPresent(ProcessHandle::destroy);
		logger.info("Took over the ports from the primary pid " + from + ", which drains and stops");
	}

	/** Starts the new primary's process; tests start a stand-in. */
	@FunctionalInterface
	interface Starter {

		Process start(ProcessBuilder builder) throws IOException;

	}

}
