package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.ExchangeServer;
import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.frontdoor.FrontDoor;
import dev.bootcluster.frontdoor.PortInUseException;
import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import dev.bootcluster.frontdoor.SchedulingPolicy;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary process: binds the public ports before any worker exists, opens the control
 * channel and runs the {@link Arbiter} until the cluster stops. It gets its settings
 * already validated, and never creates the application's context.
 */
public final class Primary {

	private static final Log logger = LogFactory.getLog(Primary.class);

	/** How long the relays get to pass on what the stopped workers last wrote. */
	static final Duration LAST_BYTES_TIMEOUT = Duration.ofSeconds(5);

	private Primary() {
	}

	/**
	 * Runs the cluster on the calling thread: binds the public ports before any worker
	 * exists, then supervises the workers until the cluster stops. {@code application}
	 * names the application (its main class) for {@code cluster.ctl}.
	 * @param pidFile where to write the primary's pid ({@code spring.pid.file}), or null
	 * @param upgradeEndpoint the endpoint's upgrade operation, its method and path as the
	 * application maps them, for the messages that say to upgrade
	 * @return the process exit code
	 * @throws PortInUseException if another process holds one of the ports
	 */
	public static int run(ClusterSettings settings, List<PublicPort> ports, SettingsReader settingsReader,
			String application, @Nullable Path pidFile, String upgradeEndpoint) throws PortInUseException {
		Long predecessor = Upgrade.predecessor(System.getenv());
		FrontDoor frontDoor;
		try {
			frontDoor = FrontDoor.bind(Upgrade.withPredecessorPorts(ports, System.getenv()), settings.policy(),
					settings.queueTimeout(), settings.idleTimeout(), settings.maxConnections(),
					settings.maxHeaderSize(), predecessor);
		}
		catch (PortInUseException ex) {
			// Boot's failure analysis reports it, as for a single process.
			throw ex;
		}
		catch (IOException ex) {
			logger.error("The cluster could not bind its ports " + ports, ex);
			return ClusterExitCode.CANNOT_START;
		}
		return run(settings, ports, settingsReader, frontDoor, application,
				new Upgrade(predecessor, frontDoor.ports(), new PidFile(pidFile), upgradeEndpoint));
	}

	private static int run(ClusterSettings settings, List<PublicPort> ports, SettingsReader settingsReader,
			FrontDoor frontDoor, String application, Upgrade upgrade) {
		MessageRouter messages = new MessageRouter();
		Arbiter arbiter = new Arbiter(settings, ports, settingsReader, rotation(frontDoor, messages), Ticker.SYSTEM,
				upgrade);
		Signals.onShutdown(arbiter::shutdown);
		Signals.onReload(arbiter::reload);
		Signals.onScale(arbiter::scale);
		Signals.onUpgrade(arbiter::upgrade);
		frontDoor.failure().thenAccept(arbiter::frontDoorFailed);
		// Whatever ends this JVM, no worker is left behind; an upgrade's new primary
		// lives on.
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> ProcessHandle.current()
				.children()
				.filter((child) -> !arbiter.isSuccessor(child.pid()))
				.forEach(ProcessHandle::destroyForcibly), "cluster-orphan-guard"));
		try (frontDoor;
				ControlServer control = ControlServer.open(arbiter, application);
				ExchangeServer exchange = control.openExchange(Map.of(SessionService.NAME,
						SessionService.start(settings.sessionsMaxMemory()), MessageRouter.NAME, messages))) {
			frontDoor.start();
			upgrade.started();
			logger.info("Cluster primary (pid " + ProcessHandle.current().pid() + ") " + upgrade.serving() + " "
					+ describe(frontDoor.ports()) + " with " + settings.workers() + " worker(s) (starting at most "
					+ settings.startConcurrency() + " at once), " + settings.policy().value() + ", at most "
					+ frontDoor.maxConnections() + " connections");
			Footprint.shrink();
			Integer sharedPort = (settings.policy() == SchedulingPolicy.OS) ? frontDoor.port(PortKind.SERVER) : null;
			int exitCode = arbiter.run(new WorkerLauncher(JavaCommand.current(), settings, control, sharedPort,
					frontDoor.ports().stream().anyMatch((port) -> port.kind().equals(PortKind.MANAGEMENT)),
					arbiter.notices().userPassword(), List.copyOf(extraPorts(frontDoor).keySet())));
			frontDoor.awaitIdle(LAST_BYTES_TIMEOUT);
			logger.info("Cluster stopped");
			return exitCode;
		}
		catch (IOException ex) {
			logger.error("The cluster could not start its control channel", ex);
			return ClusterExitCode.CANNOT_START;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return ClusterExitCode.CANNOT_START;
		}
		finally {
			upgrade.ended();
		}
	}

	/** The front door's rotation; messages go to the same ready workers. */
	private static Rotation rotation(FrontDoor frontDoor, MessageRouter messages) {
		return new Rotation() {

			@Override
			public void route(List<Backend> ready) {
				frontDoor.route(ready);
				messages.ready(ready);
			}

			@Override
			public void stopAccepting() {
				frontDoor.stopAccepting();
			}

			@Override
			public void listen() throws IOException {
				frontDoor.listen();
			}

			@Override
			public CompletableFuture<Void> handOver(long successor) {
				return frontDoor.handOver(successor);
			}

			@Override
			public List<Integer> ports() {
				return frontDoor.ports().stream().filter((port) -> port.kind().http()).map(PublicPort::port).toList();
			}

			@Override
			public Map<String, Integer> extraPorts() {
				return Primary.extraPorts(frontDoor);
			}

			@Override
			public long failedRequests() {
				return frontDoor.failedRequests();
			}

			@Override
			public int requestsInFlight(Backend backend) {
				return backend.requestsInFlight();
			}

		};
	}

	/** The extra ports as bound (0 resolved), by name, in the order configured. */
	private static Map<String, Integer> extraPorts(FrontDoor frontDoor) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		frontDoor.ports()
			.stream()
			.filter((port) -> !port.kind().http())
			.forEach((port) -> ports.put(port.kind().name(), port.port()));
		return ports;
	}

	private static String describe(List<PublicPort> ports) {
		return ports.stream().map(Primary::describe).collect(Collectors.joining(" and "));
	}

	private static String describe(PublicPort port) {
		if (port.kind().equals(PortKind.SERVER)) {
			return "port " + port.port();
		}
		if (port.kind().equals(PortKind.MANAGEMENT)) {
			return "management port " + port.port();
		}
		return "extra port " + port.kind().name() + " " + port.port();
	}

}
