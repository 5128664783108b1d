package dev.bootcluster.primary;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.InternalPorts;
import dev.bootcluster.channel.NativeHeap;
import dev.bootcluster.channel.WorkerEnvironment;
import dev.bootcluster.frontdoor.InternalHop;
import org.jspecify.annotations.Nullable;

/**
 * Forks a worker: the primary's own command line plus {@code cluster.worker.jvm-args},
 * with the worker's identity, the control channel, a one-time token and the cluster's
 * generated password in its environment. Its output goes where the primary's goes:
 * unchanged, or line by line behind {@code [worker N]}. Each launch gets its own path for
 * a Unix domain socket on the internal hop. Unless the user sized the heap, each worker
 * gets {@code -XX:MaxRAMPercentage=25/N}. Each launch also gets a free loopback port for
 * each extra port, which the app binds: picked here (bound, then let go) because the app
 * must know it before it starts, in {@code cluster.worker.port.<name>}.
 * <p>
 * Threads: the arbiter thread.
 */
final class WorkerLauncher implements Launcher {

	/** What {@code -XX:MaxRAMPercentage} is when nobody sets it. */
	private static final double JVM_DEFAULT_MAX_RAM_PERCENTAGE = 25.0;

	/** The primary's own command line, which each worker's starts from. */
	private final JavaCommand primary;

	private final WorkerBoot boot;

	/** How nice a worker runs once it serves. */
	private final ServingPriority priority;

	private int count;

	/** Whether the user sized the heap (then workers get nothing more). */
	private boolean heapSized;

	private Supervision supervision;

	private final ControlServer control;

	private final @Nullable Integer sharedPort;

	private boolean logPrefix;

	private final boolean unixSocketHop;

	private final boolean separateManagementPort;

	private int launches;

	/** The names of the extra ports the primary fronts. */
	private final List<String> extraPorts;

	/** The password every worker uses where Boot would generate one. */
	private final String userPassword;

	/**
	 * @param sharedPort the public port workers listen on themselves ('os' policy), or
	 * {@code null}
	 * @param separateManagementPort whether the primary serves a management port of its
	 * own
	 * @param userPassword the password generated for this cluster start
	 * @param extraPorts the names of the extra ports, each served by every worker
	 */
	WorkerLauncher(JavaCommand primary, ClusterSettings settings, ControlServer control, @Nullable Integer sharedPort,
			boolean separateManagementPort, String userPassword, List<String> extraPorts) {
		this.primary = primary;
		this.priority = new ServingPriority(settings.servingNice());
		this.boot = WorkerBoot.of(primary, settings.workerJvmArgs(), settings.classDataSharing(),
				settings.shareArchivePages(), settings.cacheDirectory(), this.priority);
		this.heapSized = heapSized(settings);
		this.count = settings.workers();
		this.supervision = settings.supervision();
		this.control = control;
		this.sharedPort = sharedPort;
		this.logPrefix = settings.logPrefix();
		this.unixSocketHop = settings.internalHop() == InternalHop.UNIX_SOCKET && sharedPort == null;
		this.separateManagementPort = separateManagementPort;
		this.userPassword = userPassword;
		this.extraPorts = List.copyOf(extraPorts);
	}

	@Override
	public void workerCount(int count) {
		this.count = count;
	}

	@Override
	public void use(ClusterSettings settings) {
		this.boot.workerJvmArgs(settings.workerJvmArgs());
		this.boot.classDataSharing(settings.classDataSharing());
		this.boot.shareArchivePages(settings.shareArchivePages());
		this.priority.servingNice(settings.servingNice());
		this.heapSized = heapSized(settings);
		this.supervision = settings.supervision();
		this.logPrefix = settings.logPrefix();
	}

	private boolean heapSized(ClusterSettings settings) {
		return sizesHeap(this.primary.jvmOptions()) || sizesHeap(settings.workerJvmArgs())
				|| sizesHeap(environmentOptions());
	}

	@Override
	public void allReady() {
		// what starting them cost the primary (their output, the channel) is done with
		NativeHeap.trim();
		this.boot.allReady(heap());
	}

	@Override
	public void reloadSucceeded() {
		this.boot.reloadSucceeded();
	}

	/**
	 * Unless the user sized the heap, N workers together claim what the plain app would:
	 * the JVM's default, 25% of the memory. More made a single worker a bigger JVM than
	 * the app it runs (a 75% share gave it G1 regions four times as large and a young
	 * generation that took 60-90 MB more after start).
	 */
	private List<String> heap() {
		return this.heapSized ? List.of() : List.of("-XX:MaxRAMPercentage="
				+ String.format(Locale.ROOT, "%.1f", JVM_DEFAULT_MAX_RAM_PERCENTAGE / this.count));
	}

	@Override
	public WorkerHandle launch(int id, int generation) throws IOException {
		WorkerBoot.Start start = this.boot.start(heap());
		ProcessBuilder builder = new ProcessBuilder(start.command()).redirectInput(ProcessBuilder.Redirect.INHERIT);
		if (!this.logPrefix) {
			builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
		}
		Map<String, String> environment = builder.environment();
		environment.put(WorkerEnvironment.ID, Integer.toString(id));
		environment.put(WorkerEnvironment.COUNT, Integer.toString(this.count));
		environment.put(WorkerEnvironment.CHANNEL, this.control.socketPath().toString());
		String token = this.control.issueToken();
		environment.put(WorkerEnvironment.TOKEN, token);
		environment.put(WorkerEnvironment.USER_PASSWORD, this.userPassword);
		environment.put(WorkerEnvironment.HEARTBEAT_INTERVAL,
				Long.toString(this.supervision.heartbeatInterval().toMillis()));
		long requestLimit = this.supervision.requestLimitForNewWorker();
		if (requestLimit > 0) {
			environment.put(WorkerEnvironment.MAX_REQUESTS, Long.toString(requestLimit));
		}
		if (this.separateManagementPort) {
			environment.put(WorkerEnvironment.SEPARATE_MANAGEMENT_PORT, "true");
		}
		if (this.sharedPort != null) {
			environment.put(WorkerEnvironment.SHARED_PORT, this.sharedPort.toString());
		}
		// A new name for each launch: a replacement starts while the worker it replaces
		// runs.
		Path hopSocket = this.unixSocketHop
				? this.control.directory().resolve("worker-" + id + "-" + (++this.launches) + ".sock") : null;
		if (hopSocket != null) {
			environment.put(WorkerEnvironment.HOP_SOCKET, hopSocket.toString());
		}
		Map<String, Integer> extraPorts = new LinkedHashMap<>();
		for (String name : this.extraPorts) {
			extraPorts.put(name, freeLoopbackPort());
		}
		if (!extraPorts.isEmpty()) {
			environment.put(WorkerEnvironment.EXTRA_PORTS, InternalPorts.encode(extraPorts));
		}
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			this.control.abandoned(token);
			throw ex;
		}
		this.control.launched(token, process.toHandle());
		this.boot.launched(start);
		if (this.logPrefix) {
			WorkerOutput.copy(process.getInputStream(), System.out, id);
			WorkerOutput.copy(process.getErrorStream(), System.err, id);
		}
		return new ForkedProcess(process, hopSocket, extraPorts, this.priority, () -> this.boot.exited(start));
	}

	/**
	 * A loopback port no one listens on now. Let go before the worker binds it, so
	 * another process could take it meanwhile: the kernel seldom hands out the same
	 * ephemeral port again so soon, and such a worker fails to start like any app whose
	 * port is taken, and is restarted with new ports.
	 */
	private static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Whether these JVM options set the maximum heap, directly or as a share of the
	 * memory.
	 */
	static boolean sizesHeap(List<String> options) {
		return options.stream()
			.anyMatch((option) -> option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize=")
					|| option.startsWith("-XX:MaxRAMPercentage=") || option.startsWith("-XX:MaxRAMFraction=")
					|| option.startsWith("-XX:MaxRAM="));
	}

	/** The options the JVM also reads from its environment. */
	private static List<String> environmentOptions() {
		List<String> options = new ArrayList<>();
		for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
			String value = System.getenv(variable);
			if (value != null) {
				options.addAll(Arrays.asList(value.trim().split("\\s+")));
			}
		}
		return options;
	}

}
