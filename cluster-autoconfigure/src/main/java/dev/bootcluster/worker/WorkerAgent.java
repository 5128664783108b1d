package dev.bootcluster.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.channel.Exchange;
import dev.bootcluster.channel.ExchangeException;
import dev.bootcluster.channel.ExchangeServer;
import dev.bootcluster.channel.HopAddress;
import dev.bootcluster.channel.InternalPorts;
import dev.bootcluster.channel.MalformedMessageException;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.NativeHeap;
import dev.bootcluster.channel.StarterVersion;
import dev.bootcluster.channel.Notice;
import dev.bootcluster.channel.WorkerEnvironment;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * The primary's agent inside a worker: binds the app's servers to the internal hop (a
 * Unix domain socket where the server can, loopback ports otherwise), gives the app the
 * loopback port of each extra port ({@code cluster.worker.port.<name>}), says hello over
 * the control channel, reports readiness (Boot's {@link ReadinessState}, not merely a
 * bound port) and exits the worker when the primary is gone, so that no worker outlives
 * its cluster. It sends a heartbeat from a thread of its own, counts requests, and exits
 * with {@link WorkerEnvironment#CANNOT_BOOT_EXIT_CODE} when the application cannot start.
 * <p>
 * Threads: started on the main thread; Spring's event publishers call
 * {@link #onApplicationEvent}; request threads call {@link #requestServed}; one daemon
 * thread watches the channel (and runs the handlers of {@link #onPush}) and one sends
 * heartbeats; the {@link MetricsCollector} has a thread of its own; one trims the native
 * heap from when it is ready ({@link NativeHeap}); a scrape waits for its
 * {@link GatheredMetrics} on its request thread.
 */
public final class WorkerAgent implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(WorkerAgent.class);

	/** How long a worker whose primary is gone gives its own shutdown before it halts. */
	private static final Duration ORPHAN_EXIT_TIMEOUT = Duration.ofSeconds(3);

	/** How long a question to the primary may take; it answers from memory. */
	private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

	private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.web.server.context.WebServerInitializedEvent",
			WorkerAgent.class.getClassLoader());

	/** Overrides the protocol version a worker announces in its HELLO; for tests only. */
	static final String PROTOCOL_VERSION_PROPERTY = "cluster.internal.protocol-version";

	/**
	 * The application's server, as Boot names its namespace (none, for the main context).
	 */
	public static final String SERVER = "server";

	/** Actuator's own server, when it has a port of its own. */
	public static final String MANAGEMENT = "management";

	private static @Nullable WorkerAgent started;

	/** The exchange to the primary, connected on first use; guarded by the agent. */
	private @Nullable Exchange exchange;

	private final int id;

	private final Channel channel;

	/**
	 * Where each server namespace ('server', 'management') listens, as
	 * {@link HopAddress}.
	 */
	private final Map<String, String> addresses = new ConcurrentHashMap<>();

	/**
	 * The Unix domain socket the primary chose for the server, or {@code null} for TCP.
	 */
	private final @Nullable Path hopSocket;

	private volatile boolean serverOnHopSocket;

	private final Map<String, CompletableFuture<Message>> requests = new ConcurrentHashMap<>();

	/** What handles each type of message the primary sends unasked. */
	private final Map<Message.Type, Consumer<Message>> pushes = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	/** The cluster-wide scrapes this worker waits for, by request id. */
	private final Map<String, GatheredMetrics> scrapes = new ConcurrentHashMap<>();

	/**
	 * Answers the primary's collects of this worker's own metrics, off the watcher
	 * thread.
	 */
	private final MetricsCollector collector = new MetricsCollector(this::send);

	/**
	 * The server namespaces ('server', 'management') whose server reads a PROXY protocol
	 * header.
	 */
	private final Set<String> readProxyProtocol = ConcurrentHashMap.newKeySet();

	private final AtomicLong requestsServed = new AtomicLong();

	/**
	 * Requests after which this worker asks to be recycled; 0 for never. The primary may
	 * change it ({@link Message.Type#LIMITS}).
	 */
	private volatile long requestLimit;

	private final AtomicBoolean recycleAsked = new AtomicBoolean();

	/** How often it sends a heartbeat; the primary may change it. */
	private volatile Duration heartbeatInterval;

	private @Nullable Thread heartbeat;

	private WorkerAgent(int id, Channel channel, @Nullable Path hopSocket, long requestLimit,
			Duration heartbeatInterval) {
		this.id = id;
		this.channel = channel;
		this.hopSocket = hopSocket;
		this.requestLimit = requestLimit;
		this.heartbeatInterval = heartbeatInterval;
		this.pushes.put(Message.Type.LIMITS, this::limit);
	}

	/** The agent of this worker JVM, or {@code null} outside a cluster's worker. */
	public static synchronized @Nullable WorkerAgent current() {
		return started;
	}

	/** This worker's agent, for beans that only a cluster worker has. */
	public static WorkerAgent running() {
		WorkerAgent agent = current();
		if (agent == null) {
			throw new IllegalStateException("This JVM is not a cluster worker: no worker agent started");
		}
		return agent;
	}

	/** This worker's id, its slot in the cluster (1 to the number of workers). */
	public int id() {
		return this.id;
	}

	/**
	 * Starts the agent once per worker JVM (an app may run more than one
	 * SpringApplication).
	 */
	public static synchronized WorkerAgent start(ConfigurableEnvironment environment) {
		if (started == null) {
			int id = Integer.parseInt(System.getenv(WorkerEnvironment.ID));
			// As the app's own files, environment and command line set them, before the
			// servers move to the internal hop.
			Message settings = SettingsReport.of(environment);
			environment.getPropertySources().addFirst(internalBinding(environment, id));
			String hopSocket = System.getenv(WorkerEnvironment.HOP_SOCKET);
			String requestLimit = System.getenv(WorkerEnvironment.MAX_REQUESTS);
			String interval = System.getenv(WorkerEnvironment.HEARTBEAT_INTERVAL);
			started = new WorkerAgent(id, connect(protocolVersion(environment)),
					(hopSocket != null) ? Path.of(hopSocket) : null,
					(requestLimit != null) ? Long.parseLong(requestLimit) : 0,
					Duration.ofMillis((interval != null) ? Long.parseLong(interval) : 5000));
			started.send(settings);
			started.watchPrimary();
			started.beat();
		}
		return started;
	}

	private static MapPropertySource internalBinding(ConfigurableEnvironment environment, int id) {
		Map<String, Object> properties = new HashMap<>();
		String sharedPort = System.getenv(WorkerEnvironment.SHARED_PORT);
		if (sharedPort != null) {
			// The 'os' policy: listen on the public port (and address) beside the other
			// workers.
			properties.put("server.port", sharedPort);
			properties.put("cluster.worker.shared-port", sharedPort);
		}
		else {
			properties.put("server.port", "0");
			properties.put("server.address", "127.0.0.1");
		}
		if (System.getenv(WorkerEnvironment.SEPARATE_MANAGEMENT_PORT) != null) {
			properties.put("management.server.port", "0");
			properties.put("management.server.address", "127.0.0.1");
		}
		else if (environment.getProperty("management.server.port", Integer.class, -1) >= 0) {
			// Management on the server port: keep it there now that the server port
			// moved.
			properties.put("management.server.port", "");
		}
		if (!environment.getProperty("cluster.worker.banner", Boolean.class, false)) {
			// One banner for the cluster: the primary's.
			properties.put("spring.main.banner-mode", "off");
		}
		properties.put("cluster.worker.id", id);
		properties.put("cluster.worker.count", System.getenv(WorkerEnvironment.COUNT));
		extraPorts().forEach((name, port) -> properties.put("cluster.worker.port." + name, port));
		return new MapPropertySource("clusterWorker", properties);
	}

	/**
	 * The loopback port the primary chose for each extra port of this launch, by name.
	 */
	public static Map<String, Integer> extraPorts() {
		String ports = System.getenv(WorkerEnvironment.EXTRA_PORTS);
		return (ports != null) ? InternalPorts.decode(ports) : Map.of();
	}

	/**
	 * The protocol version this worker announces: {@link Message#PROTOCOL_VERSION},
	 * unless {@value #PROTOCOL_VERSION_PROPERTY} says otherwise, so that a test can play
	 * a worker built with another version of Boot Cluster.
	 */
	private static int protocolVersion(ConfigurableEnvironment environment) {
		return environment.getProperty(PROTOCOL_VERSION_PROPERTY, Integer.class, Message.PROTOCOL_VERSION);
	}

	private static Channel connect(int protocolVersion) {
		try {
			Channel channel = Channel.connect(Path.of(System.getenv(WorkerEnvironment.CHANNEL)));
			channel.send(Message.of(Message.Type.HELLO, protocolVersion, System.getenv(WorkerEnvironment.ID),
					ProcessHandle.current().pid(), System.getenv(WorkerEnvironment.TOKEN)));
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("This worker cannot reach its cluster's primary (" + ex.getMessage()
					+ "); was it started by hand with " + WorkerEnvironment.ID + " set?", ex);
		}
	}

	private void watchPrimary() {
		Thread watcher = new Thread(() -> {
			try {
				for (Message message = this.channel.read(); message != null; message = this.channel.read()) {
					if (message.type() == Message.Type.ERROR) {
						exitRefused(message.field(0));
						return;
					}
					if (message.type() == Message.Type.COLLECT) {
						this.collector.collect(message);
						continue;
					}
					Consumer<Message> push = this.pushes.get(message.type());
					if (push != null) {
						pushed(push, message);
						continue;
					}
					GatheredMetrics scrape = this.scrapes.get(message.field(0));
					if (scrape != null) {
						scrape.add(message);
						continue;
					}
					CompletableFuture<Message> request = this.requests.remove(message.field(0));
					if (request != null) {
						request.complete(message);
					}
				}
			}
			catch (IOException ex) {
				// a broken channel means the same as a closed one
			}
			exitAsOrphan();
		}, "cluster-primary-watch");
		watcher.setDaemon(true);
		watcher.start();
	}

	/** A failing handler must not end the watch: that would make the worker exit. */
	private void pushed(Consumer<Message> push, Message message) {
		try {
			push.accept(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not handle " + message.type() + " from the primary: " + ex, ex);
		}
	}

	/**
	 * Sends a heartbeat every {@link #heartbeatInterval}, with heap use and requests
	 * served, from a platform thread of its own at the highest priority: no pool an
	 * application can exhaust, no lock it can hold. Only the whole JVM stalling (a long
	 * GC pause, a SIGSTOP, a deadlock in the VM) silences it.
	 */
	private void beat() {
		Thread heartbeat = new Thread(() -> {
			Runtime runtime = Runtime.getRuntime();
			while (!Thread.currentThread().isInterrupted()) {
				send(Message.of(Message.Type.HEARTBEAT, runtime.totalMemory() - runtime.freeMemory(),
						runtime.maxMemory(), this.requestsServed.get()));
				// Unparked early when the interval changes: a shorter one holds at once.
				LockSupport.parkNanos(this.heartbeatInterval.toNanos());
			}
		}, "cluster-heartbeat");
		heartbeat.setDaemon(true);
		heartbeat.setPriority(Thread.MAX_PRIORITY);
		this.heartbeat = heartbeat;
		heartbeat.start();
	}

	/** New limits from the primary: a reload's new version set them. */
	private void limit(Message limits) {
		long interval = limits.longField(0);
		long requestLimit = limits.longField(1);
		if (interval <= 0 || requestLimit < 0) {
			throw new MalformedMessageException(limits, "needs a positive interval and a request limit from 0");
		}
		this.heartbeatInterval = Duration.ofMillis(interval);
		this.requestLimit = requestLimit;
		LockSupport.unpark(this.heartbeat);
	}

	/** Counts a request; the one that reaches this worker's limit asks to be recycled. */
	public void requestServed() {
		long served = this.requestsServed.incrementAndGet();
		long limit = this.requestLimit;
		if (limit > 0 && served >= limit && this.recycleAsked.compareAndSet(false, true)) {
			send(Message.of(Message.Type.RECYCLE, "served " + limit + " requests (cluster.worker.max-requests)"));
		}
	}

	/**
	 * The primary refuses this worker (another protocol version): it cannot serve in this
	 * cluster, so it exits like a worker whose application cannot boot.
	 */
	private void exitRefused(String error) {
		logger.error("The cluster's primary refused worker " + this.id + ": " + error);
		System.exit(WorkerEnvironment.CANNOT_BOOT_EXIT_CODE);
	}

	private void exitAsOrphan() {
		logger.warn("The cluster's primary is gone; worker " + this.id + " is exiting");
		Thread halt = new Thread(() -> {
			try {
				Thread.sleep(ORPHAN_EXIT_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Runtime.getRuntime().halt(1);
		}, "cluster-orphan-halt");
		halt.setDaemon(true);
		halt.start();
		System.exit(1);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (WEB_SERVER_PRESENT && event instanceof WebServerInitializedEvent initialized) {
			String namespace = initialized.getApplicationContext().getServerNamespace();
			boolean server = namespace == null || SERVER.equals(namespace);
			Path hopSocket = (server && this.serverOnHopSocket) ? this.hopSocket : null;
			this.addresses.put(server ? SERVER : namespace, (hopSocket != null) ? HopAddress.of(hopSocket)
					: HopAddress.of(initialized.getWebServer().getPort()));
			if (hopSocket != null) {
				// Boot logs the server's TCP port (-1 or 0), which it has not: say where
				// it is.
				logger.info(serverName(initialized) + " started on " + HopAddress.of(hopSocket) + " (worker " + this.id
						+ "; a Unix domain socket, so the port Boot logged is not used)");
			}
		}
		else if (event instanceof AvailabilityChangeEvent<?> change
				&& change.getState() instanceof ReadinessState state) {
			if (state == ReadinessState.ACCEPTING_TRAFFIC) {
				send(Message.of(Message.Type.READY, this.addresses.getOrDefault(SERVER, HopAddress.of(-1)),
						this.addresses.getOrDefault(MANAGEMENT, HopAddress.of(-1)),
						this.readProxyProtocol.contains(SERVER), this.readProxyProtocol.contains(MANAGEMENT),
						Objects.requireNonNullElse(StarterVersion.current(), "")));
				// the app's start-up freed tens of MB the C allocator keeps
				NativeHeap.trimPeriodically();
			}
			else {
				send(Message.of(Message.Type.NOT_READY));
			}
		}
	}

	/** {@code Tomcat} for Boot's {@code TomcatWebServer}, as Boot's own log lines say. */
	private static String serverName(WebServerInitializedEvent initialized) {
		return initialized.getWebServer().getClass().getSimpleName().replace("WebServer", "");
	}

	/**
	 * Tells the primary why the application could not start, and makes the worker exit
	 * with {@link WorkerEnvironment#CANNOT_BOOT_EXIT_CODE} once the failing thread (the
	 * main thread, which reports the failure first) has ended.
	 */
	public void failed(Throwable exception) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(exception);
		send(Message.of(Message.Type.FAILED, cause.getClass().getName() + ": " + cause.getMessage()));
		Thread failing = Thread.currentThread();
		// Not a daemon: the JVM waits for it instead of exiting with the uncaught
		// exception's 1.
		Thread exit = new Thread(() -> {
			try {
				failing.join();
				// Sends are queued: the primary must read FAILED before it sees the exit.
				this.channel.flush(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			System.exit(WorkerEnvironment.CANNOT_BOOT_EXIT_CODE);
		}, "cluster-cannot-boot-exit");
		exit.start();
	}

	/**
	 * Asks the primary something: {@code type} with a new request id as its first field,
	 * then {@code fields}. The answer ({@link Message.Type#STATUS} or
	 * {@link Message.Type#REPLY}) completes the future.
	 */
	public CompletableFuture<Message> ask(Message.Type type, Object... fields) {
		String id = Long.toString(this.requestIds.incrementAndGet());
		CompletableFuture<Message> answer = new CompletableFuture<>();
		this.requests.put(id, answer);
		Object[] all = new Object[fields.length + 1];
		all[0] = id;
		System.arraycopy(fields, 0, all, 1, fields.length);
		try {
			this.channel.send(Message.of(type, all));
		}
		catch (IOException ex) {
			this.requests.remove(id);
			answer.completeExceptionally(ex);
		}
		return answer.orTimeout(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.whenComplete((message, failure) -> this.requests.remove(id));
	}

	/**
	 * The exchange to the primary (per-request data such as sessions, apart from the
	 * control channel), connected on first use with this worker's launch token.
	 * @throws ExchangeException if the primary cannot be reached
	 */
	public synchronized Exchange exchange() {
		if (this.exchange == null) {
			try {
				this.exchange = Exchange.connect(
						ExchangeServer.socketBeside(Path.of(System.getenv(WorkerEnvironment.CHANNEL))), this.id,
						ProcessHandle.current().pid(), System.getenv(WorkerEnvironment.TOKEN), ASK_TIMEOUT);
			}
			catch (IOException ex) {
				throw new ExchangeException("This worker cannot reach its primary's exchange: " + ex.getMessage());
			}
		}
		return this.exchange;
	}

	/**
	 * Tells the primary something the user should read once per cluster start; the
	 * primary logs it the first time a worker tells it.
	 */
	public void tell(Notice notice) {
		send(Message.of(Message.Type.NOTICE, notice.name()));
	}

	/**
	 * Asks the primary for every other ready worker's metrics: their Prometheus text, or
	 * with a {@code query} (a kind, then its argument) what they answer to it (see
	 * {@link #collectMetricsWith}). The future completes when all have answered or the
	 * primary's deadline, {@code timeout}, has passed; or, if the primary does not end
	 * the scrape, with what has come by {@code timeout} and {@code margin} later (a
	 * primary that predates cluster-wide scrapes sends nothing).
	 */
	public CompletableFuture<GatheredMetrics> gatherMetrics(Duration timeout, Duration margin, String... query) {
		String id = "scrape-" + this.requestIds.incrementAndGet();
		GatheredMetrics gathered = new GatheredMetrics();
		this.scrapes.put(id, gathered);
		List<Object> fields = new ArrayList<>(List.of(id, timeout.toMillis()));
		fields.addAll(List.of(query));
		send(Message.of(Message.Type.SCRAPE, fields.toArray()));
		return gathered.done()
			.completeOnTimeout(gathered, timeout.plus(margin).toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((result, failure) -> this.scrapes.remove(id));
	}

	/**
	 * Answers the primary's {@link Message.Type#COLLECT} with what {@code ownMetrics}
	 * gives: this worker's own scrape text.
	 */
	public void collectMetricsWith(Supplier<String> ownMetrics) {
		collectMetricsWith(MetricsCollector.PROMETHEUS, (argument) -> ownMetrics.get());
	}

	/**
	 * Answers the primary's {@link Message.Type#COLLECT} of {@code kind} with what
	 * {@code answer} gives for the query's argument; the first answer for a kind stays.
	 */
	public void collectMetricsWith(String kind, Function<String, String> answer) {
		this.collector.answer(kind, answer);
	}

	/**
	 * Tells the primary, when the app is ready, that the server of {@code namespace}
	 * ({@link #SERVER} or {@link #MANAGEMENT}) reads a PROXY protocol header, so that the
	 * front door sends one with each connection to it.
	 */
	public void readsProxyProtocol(String namespace) {
		this.readProxyProtocol.add(namespace);
	}

	/**
	 * The Unix domain socket the application's server should listen on instead of a
	 * loopback port, or {@code null} when the primary wants TCP. A server customizer that
	 * gets a path must bind the server there: the primary is told so when the app is
	 * ready.
	 */
	public @Nullable Path serverHopSocket() {
		if (this.hopSocket != null) {
			this.serverOnHopSocket = true;
		}
		return this.hopSocket;
	}

	/**
	 * Hands each message of {@code type} that the primary sends unasked to
	 * {@code handler}, on the thread that reads the channel: it must not block.
	 */
	public void onPush(Message.Type type, Consumer<Message> handler) {
		this.pushes.put(type, handler);
	}

	/**
	 * Sends the primary a message that needs no answer; one that cannot go is dropped.
	 */
	public void send(Message message) {
		try {
			this.channel.send(message);
		}
		catch (IOException ex) {
			logger.debug("Could not tell the primary " + message.type(), ex);
		}
	}

}
