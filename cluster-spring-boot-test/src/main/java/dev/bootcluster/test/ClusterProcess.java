package dev.bootcluster.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A real process started by a test (a clustered app, usually): its output is kept for
 * assertions and copied to {@code target/it-logs}, and {@link #close} kills it and every
 * process it started, whatever the test did. {@link ClusterCommand} builds and starts
 * one; {@link #state} reads {@code /actuator/cluster}, which is where tests read what the
 * cluster is doing (the log only for what it tells an operator). A reader thread appends
 * output lines; the test's thread reads them.
 */
public final class ClusterProcess implements AutoCloseable {

	/** Small, fast-starting JVMs: the workers inherit these options from the primary. */
	public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

	/**
	 * Before every command: the signals the primary handles, back to their defaults. A
	 * test JVM started as a background job of a script ignores SIGINT, and its children
	 * would too.
	 */
	private static final List<String> DEFAULT_SIGNALS = List.of("env", "--default-signal=HUP,INT,TERM,TTIN,TTOU,USR2");

	private static final Pattern PORT = Pattern.compile("serving port (\\d+)");

	private static final Pattern MANAGEMENT_PORT = Pattern.compile("and management port (\\d+)");

	/**
	 * A worker started: at its first start or a restart ("Starting Worker 1 (pid 42)", "…
	 * (restart 1)"), or as a reload's or recycle's replacement ("Reload reload-1 (…):
	 * Worker 1 (pid 42) replaces pid 41", "Recycling …; Worker 1 (pid 42) replaces it").
	 */
	private static final Pattern STARTING = Pattern
		.compile("(?:Starting |[:;] )Worker (\\d+) \\(pid (\\d+)\\)(?:$| \\(restart| replaces)");

	private static final Pattern READY = Pattern.compile("Worker (\\d+) \\(pid (\\d+)\\) ready in");

	/** An upgrade's new primary, which outlives the process this one started. */
	private static final Pattern NEW_PRIMARY = Pattern
		.compile("Upgrading the primary \\((.*)\\): started a new one, pid (\\d+)");

	/**
	 * How long a primary may take to bind its port; a slow, busy machine needs most of
	 * it.
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	/** How long workers may take to boot, several at once on a slow, busy machine. */
	public static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

	private final Process process;

	/** Whether the endpoint is on a management port of its own. */
	private final boolean separateManagementPort;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private ClusterProcess(Process process, List<String> command, Path log) throws IOException {
		this.process = process;
		this.separateManagementPort = command.stream().anyMatch((part) -> part.contains("--management.server.port="));
		Files.createDirectories(log.getParent());
		PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
		this.reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					this.lines.add(line);
					copy.println(line);
				}
			}
			catch (IOException ex) {
				// the process is gone
			}
			finally {
				copy.close();
			}
		}, "output-of-" + process.pid());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * {@code java <options> -jar <jar> --server.port=0 <arguments>}: see
	 * {@link ClusterCommand}.
	 */
	public static ClusterProcess jar(String name, Path jar, String... arguments) throws IOException {
		return ClusterCommand.jar(jar).arguments(arguments).start(name);
	}

	public static List<String> java() {
		return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/** Starts {@code command} as it is; {@link ClusterCommand} builds one. */
	public static ClusterProcess start(String name, List<String> command, Path directory) throws IOException {
		return start(name, command, directory, Map.of());
	}

	public static ClusterProcess start(String name, List<String> command, Path directory,
			Map<String, String> environment) throws IOException {
		List<String> withSignals = new ArrayList<>(DEFAULT_SIGNALS);
		withSignals.addAll(command);
		ProcessBuilder builder = new ProcessBuilder(withSignals).redirectErrorStream(true);
		if (directory != null) {
			builder.directory(directory.toFile());
		}
		builder.environment().remove("CLUSTER_WORKER_ID");
		builder.environment().putAll(environment);
		return new ClusterProcess(builder.start(), command, Path.of("target", "it-logs", name + ".log"));
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * The command line it runs, as the OS shows it ({@code /proc/<pid>/cmdline}): after
	 * the signal reset, the java command.
	 */
	public List<String> commandLine() throws IOException {
		return List.of(Files.readString(Path.of("/proc", Long.toString(pid()), "cmdline")).split("\0"));
	}

	public Process process() {
		return this.process;
	}

	public List<String> lines() {
		return List.copyOf(this.lines);
	}

	public String output() {
		return String.join("\n", this.lines);
	}

	/** The public port, once the primary has logged it. */
	public int port() {
		return awaitGroup(PORT, START_TIMEOUT);
	}

	public int managementPort() {
		return awaitGroup(MANAGEMENT_PORT, START_TIMEOUT);
	}

	/**
	 * The port that serves {@code /actuator/cluster}: the management port when there is
	 * one.
	 */
	public int statusPort() {
		return this.separateManagementPort ? managementPort() : port();
	}

	/** {@code GET /actuator/cluster} now; it must answer 200. */
	public ClusterState state() throws IOException {
		Http.Response response = Http.get(statusPort(), "/actuator/cluster");
		if (response.status() != 200) {
			throw new AssertionError("GET /actuator/cluster answered " + response.status() + ": " + response.body());
		}
		return ClusterState.parse(response.body());
	}

	/**
	 * Polls {@code /actuator/cluster} until {@code condition} holds, and returns that
	 * state. A request that fails meanwhile (a worker being replaced) is polled again.
	 */
	public ClusterState awaitState(String description, Predicate<ClusterState> condition, Duration timeout) {
		AtomicReference<ClusterState> last = new AtomicReference<>();
		try {
			return await(description).atMost(timeout)
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptions()
				.failFast("the primary has exited", () -> !this.process.isAlive())
				.until(() -> {
					last.set(state());
					return last.get();
				}, condition);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(description + ": not seen within " + timeout + "; last seen: " + last.get(), ex);
		}
	}

	/** Waits until reload {@code id} has ended (SUCCEEDED or FAILED), and returns it. */
	public ClusterState.Reload awaitReloadEnd(String id, Duration timeout) {
		return awaitState("reload " + id + " ended",
				(state) -> state.reload().filter((reload) -> reload.id().equals(id) && !reload.running()).isPresent(),
				timeout)
			.reload()
			.orElseThrow();
	}

	private int awaitGroup(Pattern pattern, Duration timeout) {
		return await().atMost(timeout)
			.until(() -> find(pattern).map((m) -> Integer.parseInt(m.group(1))), Optional::isPresent)
			.get();
	}

	private Optional<Matcher> find(Pattern pattern) {
		for (String line : this.lines) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				return Optional.of(matcher);
			}
		}
		return Optional.empty();
	}

	/** Waits for a line matching {@code regex}, and returns it. */
	public String awaitLine(String regex, Duration timeout) {
		Pattern pattern = Pattern.compile(regex);
		return await().atMost(timeout)
			.until(() -> this.lines.stream().filter((line) -> pattern.matcher(line).find()).findFirst(),
					Optional::isPresent)
			.get();
	}

	public long countLines(String regex) {
		Pattern pattern = Pattern.compile(regex);
		return this.lines.stream().filter((line) -> pattern.matcher(line).find()).count();
	}

	/**
	 * Waits until {@code count} workers are READY in {@code /actuator/cluster}, and
	 * returns the public port. An app without the endpoint (sample-jetty, sample-webflux)
	 * has only its log to tell: there, {@code count} workers have logged ready.
	 */
	public int awaitReady(int count) {
		int port = port();
		await(count + " worker(s) ready").atMost(READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.failFast("the primary has exited", () -> !this.process.isAlive())
			.until(() -> readyWorkers() >= count);
		return port;
	}

	private long readyWorkers() throws IOException {
		Http.Response response = Http.get(statusPort(), "/actuator/cluster");
		if (response.status() == 404) {
			return readyPids().size();
		}
		if (response.status() != 200) {
			throw new IOException("GET /actuator/cluster answered " + response.status());
		}
		return ClusterState.parse(response.body()).pids("READY").size();
	}

	/** Pids of every worker the primary started so far, in order. */
	public List<Long> workerPids() {
		return loggedPids(STARTING);
	}

	public static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	/**
	 * Sends {@code signal} (STOP, TTIN, …) to a process, as {@code kill -<signal> <pid>}.
	 */
	public static void signal(long pid, String signal) throws IOException, InterruptedException {
		int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
		if (exit != 0) {
			throw new IOException("kill -" + signal + " " + pid + " exited with " + exit);
		}
	}

	/** The pid of the latest process started for worker {@code id}. */
	public long workerPid(int id) {
		long pid = -1;
		for (String line : this.lines) {
			Matcher matcher = STARTING.matcher(line);
			if (matcher.find() && Integer.parseInt(matcher.group(1)) == id) {
				pid = Long.parseLong(matcher.group(2));
			}
		}
		return pid;
	}

	/**
	 * The pids of the new primaries that upgrades started, in order: the last one serves
	 * once the upgrades are done. {@link #close} ends them too.
	 */
	public List<Long> newPrimaryPids() {
		return loggedPids(NEW_PRIMARY);
	}

	/** The pids of workers logged ready, in order. */
	public List<Long> readyPids() {
		return loggedPids(READY);
	}

	/** The pids (group 2) of the lines that match {@code pattern}, in order. */
	private List<Long> loggedPids(Pattern pattern) {
		List<Long> pids = new ArrayList<>();
		for (String line : this.lines) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				pids.add(Long.parseLong(matcher.group(2)));
			}
		}
		return pids;
	}

	/**
	 * The paths of the Unix domain sockets process {@code pid} listens on: its open
	 * sockets ({@code /proc/<pid>/fd}) that {@code /proc/net/unix} lists as listening
	 * (what {@code ss -xlp} shows).
	 */
	public static List<String> unixSocketsListenedOnBy(long pid) throws IOException {
		Set<String> inodes = socketInodes(pid);
		List<String> paths = new ArrayList<>();
		// Num RefCount Protocol Flags Type St Inode Path; flag 00010000 is a listening
		// socket
		for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length == 8 && fields[3].equals("00010000") && inodes.contains(fields[6])) {
				paths.add(fields[7]);
			}
		}
		return paths;
	}

	/**
	 * The TCP ports process {@code pid} listens on: its open sockets that
	 * {@code /proc/net/tcp} and {@code tcp6} list as listening (what {@code ss -tlp}
	 * shows).
	 */
	public static Set<Integer> tcpPortsListenedOnBy(long pid) throws IOException {
		Set<String> inodes = socketInodes(pid);
		Set<Integer> ports = new HashSet<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			// sl local_address rem_address st ... inode; st 0A is LISTEN
			for (String line : Files.readAllLines(Path.of(table))) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
					String local = fields[1];
					ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
				}
			}
		}
		return ports;
	}

	/** The inodes of the sockets process {@code pid} has open. */
	private static Set<String> socketInodes(long pid) throws IOException {
		Set<String> inodes = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			for (Path fd : (Iterable<Path>) fds::iterator) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed meanwhile
				}
			}
		}
		return inodes;
	}

	public int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Process " + pid() + " did not exit within " + timeout + "; output:\n" + output());
		}
		// Workers write to the same pipe: all output is in once every writer has closed
		// it.
		this.reader.join(Duration.ofSeconds(10).toMillis());
		return this.process.exitValue();
	}

	/**
	 * Kills the primary, every new primary an upgrade started, and all their workers,
	 * then removes their private directories.
	 */
	@Override
	public void close() {
		List<ProcessHandle> primaries = new ArrayList<>();
		primaries.add(this.process.toHandle());
		newPrimaryPids().forEach((pid) -> ProcessHandle.of(pid).ifPresent(primaries::add));
		// SIGKILL skips a primary's own clean-up: remember its private directory first.
		List<Path> directories = new ArrayList<>();
		for (ProcessHandle primary : primaries) {
			try {
				unixSocketsListenedOnBy(primary.pid()).stream()
					.map((socket) -> Path.of(socket).getParent())
					.filter((directory) -> directory.getFileName().toString().startsWith("boot-cluster-"))
					.forEach(directories::add);
			}
			catch (IOException ex) {
				// gone already, and cleaned up by itself
			}
		}
		Set<ProcessHandle> all = new LinkedHashSet<>();
		primaries.forEach((primary) -> primary.descendants().forEach(all::add));
		workerPids().forEach((pid) -> ProcessHandle.of(pid).ifPresent(all::add));
		all.addAll(primaries);
		all.forEach(ProcessHandle::destroyForcibly);
		for (ProcessHandle handle : all) {
			handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally((ex) -> handle).join();
		}
		for (Path directory : directories) {
			deleteQuietly(directory);
		}
	}

	private static void deleteQuietly(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			// removed by the primary itself, or left for the OS's temp clean-up
		}
	}

}
