package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes a worker that serves yield the CPU to one that is starting
 * ({@code cluster.worker.serving-nice}): a worker starts at the primary's nice value and,
 * once ready, runs that much nicer. On a busy host the serving workers' request threads
 * otherwise take nearly all of the CPU, and a restart or a reload's replacement, one
 * thread booting the app, takes several times as long to be ready. The boot cache's
 * training runs as nice as a serving worker: it must not take the CPU from them either.
 * <p>
 * A process may raise a nice value but needs privileges to lower it, so a worker is made
 * nicer once, when first ready, for the rest of its life. Linux only: there a nice value
 * belongs to a thread, so every thread in {@code /proc/<pid>/task} (a worker's but its
 * JIT compiler's) is reniced, and again those started meanwhile; a thread started later
 * inherits its creator's.
 * <p>
 * Threads: asked on the arbiter thread and the boot cache's; {@code renice} runs and is
 * waited for on one daemon thread ({@code cluster-renice}).
 */
final class ServingPriority {

	private static final Log logger = LogFactory.getLog(ServingPriority.class);

	private static final Path TASKS = Path.of("/proc/self/task");

	/**
	 * Rounds of renicing the threads found: a thread started meanwhile is in the next.
	 */
	private static final int ROUNDS = 3;

	private static final long RENICE_TIMEOUT_SECONDS = 30;

	/** The highest nice value there is. */
	static final int NICEST = 19;

	/** {@code cluster.worker.serving-nice}: set on the arbiter thread. */
	private volatile int servingNice;

	private final int primaryNice;

	private final AtomicBoolean warned = new AtomicBoolean();

	private final ExecutorService renicer = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-renice");
		thread.setDaemon(true);
		return thread;
	});

	ServingPriority(int servingNice) {
		this.servingNice = servingNice;
		this.primaryNice = Files.isDirectory(TASKS) ? niceOf(readStat(Path.of("/proc/self/stat"))) : 0;
	}

	/** A new {@code cluster.worker.serving-nice}: for workers ready from now on. */
	void servingNice(int servingNice) {
		this.servingNice = servingNice;
	}

	/** The nice value a serving worker runs at: the primary's plus the setting's. */
	int target() {
		return Math.min(NICEST, this.primaryNice + this.servingNice);
	}

	/**
	 * Makes a ready worker nicer, in the background, but for its JIT compiler threads: a
	 * worker that has just become ready runs cold code until they have compiled it, so
	 * they keep the primary's priority and it warms up as fast as before.
	 */
	void lower(long pid) {
		submit(pid, true);
	}

	/** Makes background work (the boot cache's training) nicer, every thread of it. */
	void lowerEntirely(long pid) {
		submit(pid, false);
	}

	private void submit(long pid, boolean keepCompilers) {
		if (this.servingNice == 0 || !Files.isDirectory(TASKS)) {
			return;
		}
		int target = target();
		this.renicer.execute(() -> renice(pid, target, keepCompilers));
	}

	private void renice(long pid, int target, boolean keepCompilers) {
		Set<String> done = new HashSet<>();
		try {
			for (int round = 0; round < ROUNDS; round++) {
				List<String> threads = threads(pid, keepCompilers);
				threads.removeAll(done);
				if (threads.isEmpty()) {
					return;
				}
				String failure = run(target, threads);
				if (failure != null && isAlive(pid)) {
					warnOnce(failure);
					return;
				}
				done.addAll(threads);
			}
		}
		catch (IOException ex) {
			if (isAlive(pid)) {
				warnOnce(String.valueOf(ex));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The process's thread ids, but the JIT compiler's if asked; none once it has ended.
	 */
	private static List<String> threads(long pid, boolean keepCompilers) throws IOException {
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		if (!Files.isDirectory(tasks)) {
			return new ArrayList<>();
		}
		try (Stream<Path> listing = Files.list(tasks)) {
			return new ArrayList<>(listing.filter((task) -> !keepCompilers || !isCompiler(task))
				.map((task) -> task.getFileName().toString())
				.toList());
		}
		catch (IOException ex) {
			// it ended while being listed
			return new ArrayList<>();
		}
	}

	/**
	 * HotSpot's "C1 CompilerThread0", "C2 CompilerThread1"..., as Linux shortens them.
	 */
	private static boolean isCompiler(Path task) {
		try {
			return Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).matches("C\\d CompilerThre.*\\s*");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Runs {@code renice}; says why it failed, or {@code null}. A thread that ended
	 * meanwhile is no failure.
	 */
	private static @Nullable String run(int target, List<String> threads) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(target), "-p"));
		command.addAll(threads);
		Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!renice.waitFor(RENICE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				return "renice did not end within " + RENICE_TIMEOUT_SECONDS + " s";
			}
			if (renice.exitValue() == 0) {
				return null;
			}
			List<String> errors = output.lines()
				.filter((line) -> line.contains("failed") && !line.contains("No such process"))
				.toList();
			return errors.isEmpty() ? null : String.join("; ", errors);
		}
		finally {
			renice.destroyForcibly();
		}
	}

	private void warnOnce(String reason) {
		if (this.warned.compareAndSet(false, true)) {
			logger.warn("Could not make serving workers nicer (cluster.worker.serving-nice=" + this.servingNice + "): "
					+ reason + "; a worker starting while others serve a heavy load may take longer");
		}
	}

	private static boolean isAlive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	private static String readStat(Path stat) {
		try {
			return Files.readString(stat, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * The nice value in a {@code /proc/<pid>/stat} line: the 19th field, counted after
	 * the command name in parentheses (which may hold spaces and parentheses itself); 0
	 * when it cannot be read.
	 */
	static int niceOf(String stat) {
		int end = stat.lastIndexOf(')');
		if (end < 0) {
			return 0;
		}
		String[] fields = stat.substring(end + 1).trim().split("\\s+");
		// fields[0] is the 3rd field (state); the nice value is the 19th
		try {
			return (fields.length > 16) ? Integer.parseInt(fields[16]) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
