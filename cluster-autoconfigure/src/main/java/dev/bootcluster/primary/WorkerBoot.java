package dev.bootcluster.primary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.bootcluster.channel.NativeHeap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How a worker starts: from the {@link BootCache} of the running jar's version once there
 * is one (the extracted layout and an AOT cache or CDS archive trained on it), else as
 * the primary started. The primary looks for a cache of its version before the first
 * worker starts; it trains one only when every worker is ready, so training never delays
 * serving, and again after a reload brings a new version of the jar. A cache the JVM
 * refuses (stale, foreign, corrupt) is removed and trained again, with a warning.
 * <p>
 * Threads: the arbiter thread asks for commands and says when every worker is ready; one
 * daemon thread ({@code cluster-boot-cache}) prepares, one task at a time, and hands the
 * cache over in {@link #ready}. The jar and the sharing setting belong to the arbiter
 * thread, as do the versions workers started from and their in-use locks; a stale version
 * is removed on the preparing thread. The key memo and the failed versions belong to the
 * first look-up on the arbiter thread, then to the preparing thread.
 */
final class WorkerBoot {

	private static final Log logger = LogFactory.getLog(WorkerBoot.class);

	/**
	 * Maps the archive at the address it was made for rather than at a random one, so
	 * that its pages are the same in every worker and shared; a diagnostic option on JDK
	 * 17 and 25 alike. The archive needs no other training for it.
	 */
	private static final List<String> SHARED_PAGES = List.of("-XX:+UnlockDiagnosticVMOptions",
			"-XX:ArchiveRelocationMode=0");

	private final JavaCommand primary;

	/** {@code cluster.worker.jvm-args}: set on the arbiter thread, read by both. */
	private volatile List<String> workerJvmArgs;

	/** {@code cluster.worker.share-archive-pages}: set on the arbiter thread. */
	private volatile boolean shareArchivePages;

	/**
	 * The primary's jar, or {@code null} when workers start as the primary did; set and
	 * read on the arbiter thread.
	 */
	private @Nullable Path jar;

	/**
	 * {@code cluster.worker.class-data-sharing}: a reload's new version may change it.
	 */
	private ClassDataSharing sharing;

	private final Path cacheDirectory;

	private final ArchiveFormat format;

	private final BootCacheBuilder builder;

	private final AtomicReference<@Nullable Prepared> ready = new AtomicReference<>();

	private final AtomicBoolean preparing = new AtomicBoolean();

	private boolean lookedUp;

	private @Nullable ExecutorService preparer;

	private @Nullable FileStamp hashedStamp;

	private @Nullable String hashedKey;

	private List<String> hashedOptions = List.of();

	/** The versions whose cache could not be made: not tried again by this primary. */
	private final Set<String> failed = new HashSet<>();

	/** The caches workers started from, or could have: the arbiter thread's. */
	private final BootCacheVersions versions = new BootCacheVersions();

	/** The in-use locks this primary holds, by cache directory: the arbiter thread's. */
	private final Map<Path, FileChannel> inUse = new HashMap<>();

	/**
	 * Each cache made ready, from the preparing thread to the arbiter thread's versions.
	 */
	private final Queue<Prepared> published = new ConcurrentLinkedQueue<>();

	/**
	 * The jar's stamp when a reload last succeeded: caches of other versions are removed
	 * only after one has, so that a failed deploy rolled back keeps its cache.
	 */
	private @Nullable FileStamp reloadedTo;

	private WorkerBoot(JavaCommand primary, List<String> workerJvmArgs, ClassDataSharing sharing, Path cacheDirectory,
			ServingPriority priority) {
		this.primary = primary;
		this.workerJvmArgs = List.copyOf(workerJvmArgs);
		this.sharing = sharing;
		this.cacheDirectory = cacheDirectory;
		this.format = ArchiveFormat.forJava(Runtime.version().feature());
		this.builder = new BootCacheBuilder(primary.executable(), priority);
	}

	/**
	 * How workers of this primary start; says once, at INFO, why they cannot start from a
	 * cache when {@code class-data-sharing} is {@code auto} but the launch does not allow
	 * it.
	 * @param shareArchivePages whether workers that start from an archive share its pages
	 * @param priority how nice what the cache's preparation runs is
	 */
	static WorkerBoot of(JavaCommand primary, List<String> workerJvmArgs, ClassDataSharing sharing,
			boolean shareArchivePages, Path cacheDirectory, ServingPriority priority) {
		WorkerBoot boot = new WorkerBoot(primary, workerJvmArgs, sharing, cacheDirectory, priority);
		boot.jar = boot.usableJar();
		boot.shareArchivePages = shareArchivePages;
		return boot;
	}

	/**
	 * The jar workers may start from a cache of, or {@code null}; says at INFO why not
	 * when sharing is {@code auto}.
	 */
	private @Nullable Path usableJar() {
		if (this.sharing == ClassDataSharing.OFF) {
			return null;
		}
		String off = whyNot(this.primary, this.workerJvmArgs, this.cacheDirectory);
		if (off != null) {
			logger.info("Workers start without a class-data archive: " + off);
			return null;
		}
		return Path.of(this.primary.launch().get(1)).toAbsolutePath();
	}

	/**
	 * A new {@code cluster.worker.class-data-sharing} (a reload's new version), for the
	 * workers started from now on: {@code off} starts them as the primary did;
	 * {@code auto} looks for the cache (or trains it) when every worker is next ready.
	 */
	void classDataSharing(ClassDataSharing sharing) {
		if (sharing == this.sharing) {
			return;
		}
		this.sharing = sharing;
		this.jar = usableJar();
		// The look-up waits for every worker to be ready, on the preparing thread.
		this.lookedUp = true;
		if (this.jar == null) {
			this.ready.set(null);
		}
	}

	/** Why workers of this launch cannot start from a cache, or {@code null}. */
	static @Nullable String whyNot(JavaCommand primary, List<String> workerJvmArgs, Path cacheDirectory) {
		List<String> launch = primary.launch();
		if (launch.size() < 2 || !launch.get(0).equals("-jar")) {
			return "the primary was not started with java -jar (a class path, such as mvn spring-boot:run's, cannot be archived)";
		}
		List<String> options = new ArrayList<>(primary.jvmOptions());
		options.addAll(workerJvmArgs);
		if (options.stream().anyMatch(WorkerBoot::choosesSharing)) {
			return "the JVM options choose their own (-Xshare, -XX:SharedArchiveFile, -XX:AOTCache...)";
		}
		Path jar = Path.of(launch.get(1));
		if (!Files.isRegularFile(jar)) {
			return jar + " is not a jar file";
		}
		return PrivateDirectory.problem(cacheDirectory);
	}

	private static boolean choosesSharing(String option) {
		return option.startsWith("-Xshare") || option.startsWith("-XX:SharedArchiveFile")
				|| option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:AOT")
				|| option.startsWith("-XX:+AutoCreateSharedArchive");
	}

	/**
	 * New {@code cluster.worker.jvm-args} (a reload's new version): a cache made for
	 * other options that matter is dropped, and the one for these looked for when every
	 * worker is next ready.
	 */
	void workerJvmArgs(List<String> workerJvmArgs) {
		boolean relevant = !BootCacheKey.relevant(workerJvmArgs).equals(BootCacheKey.relevant(this.workerJvmArgs));
		this.workerJvmArgs = List.copyOf(workerJvmArgs);
		if (relevant) {
			this.ready.set(null);
		}
	}

	/**
	 * New {@code cluster.worker.share-archive-pages}: applies from the next worker on.
	 */
	void shareArchivePages(boolean shareArchivePages) {
		this.shareArchivePages = shareArchivePages;
	}

	/**
	 * How the next worker starts: from the cache when it is ready and still matches the
	 * jar and the archive file, else with the primary's own launch.
	 * @param heap JVM options sizing the worker's heap, first
	 */
	Start start(List<String> heap) {
		if (this.jar != null && !this.lookedUp) {
			this.lookedUp = true;
			prepare(this.jar, heap, false);
		}
		Prepared prepared = this.ready.get();
		List<String> launch = this.primary.launch();
		Path from = null;
		knowPublished();
		if (prepared != null && this.jar != null) {
			if (prepared.isCurrent(this.jar)) {
				launch = prepared.cache().launch(launch.subList(2, launch.size()));
				from = prepared.cache().directory();
			}
			else {
				// A new jar, or an archive changed under us: checked again when every
				// worker is ready.
				this.ready.compareAndSet(prepared, null);
			}
		}
		List<String> options = new ArrayList<>(heap);
		options.addAll(this.primary.jvmOptions());
		if (from != null && this.shareArchivePages) {
			options.addAll(SHARED_PAGES);
		}
		return new Start(new JavaCommand(this.primary.executable(), options, launch).with(this.workerJvmArgs), from);
	}

	/**
	 * Each cache made ready since is known, and held in use so that no other cluster
	 * removes it.
	 */
	private void knowPublished() {
		for (Prepared prepared = this.published.poll(); prepared != null; prepared = this.published.poll()) {
			Path directory = prepared.cache().directory();
			if (this.versions.known(directory, prepared.jar())) {
				try {
					FileChannel channel = prepared.cache().use();
					if (channel != null) {
						this.inUse.put(directory, channel);
					}
				}
				catch (IOException ex) {
					// Unmarked, another cluster done with it may remove it: workers then
					// start without it until it is trained again.
				}
			}
		}
	}

	/** A worker started as {@code start} says. */
	void launched(Start start) {
		if (start.cache() != null) {
			this.versions.launched(start.cache());
		}
	}

	/**
	 * A worker started as {@code start} says has ended: the cache of a version the jar no
	 * longer is, that no worker runs from any more, is removed (after a reload to a new
	 * version, the old one's), unless another cluster uses it.
	 */
	void exited(Start start) {
		if (start.cache() != null) {
			this.versions.exited(start.cache());
		}
		removeStale();
	}

	/** A reload has succeeded: every worker runs the jar's version now. */
	void reloadSucceeded() {
		this.reloadedTo = (this.jar != null) ? FileStamp.of(this.jar) : null;
		removeStale();
	}

	private void removeStale() {
		Path jar = this.jar;
		FileStamp current = (jar != null) ? FileStamp.of(jar) : null;
		if (jar == null || current == null || !current.equals(this.reloadedTo)) {
			return;
		}
		knowPublished();
		for (Path stale : this.versions.removeStale(current)) {
			FileChannel held = this.inUse.remove(stale);
			preparer().execute(() -> remove(stale, held, jar));
		}
	}

	private void remove(Path directory, @Nullable FileChannel held, Path jar) {
		try {
			if (held != null) {
				held.close();
			}
			FileStamp stamp = FileStamp.of(jar);
			if (stamp == null || directory.getFileName().toString().equals(key(jar, stamp))) {
				// the jar is that version again (a roll-back)
				return;
			}
			if (BootCache.removeUnlessUsed(directory)) {
				logger.info("Removed " + directory + ", the boot cache of a version no worker runs any more");
			}
			else {
				logger.info("Kept " + directory + ", the boot cache of a previous version: another cluster uses it");
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("Could not remove " + directory + ", the boot cache of a previous version: " + ex);
		}
	}

	/**
	 * Every worker is ready: prepares the cache for the jar's current version unless
	 * workers already start from it or it is being prepared.
	 */
	void allReady(List<String> heap) {
		Path jar = this.jar;
		Prepared prepared = this.ready.get();
		if (jar == null || (prepared != null && prepared.isCurrent(jar))
				|| !this.preparing.compareAndSet(false, true)) {
			return;
		}
		preparer().execute(() -> {
			try {
				prepare(jar, heap, true);
			}
			finally {
				this.preparing.set(false);
				// hashing, extracting and training left freed memory behind
				NativeHeap.trim();
			}
		});
	}

	private ExecutorService preparer() {
		if (this.preparer == null) {
			this.preparer = Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, "cluster-boot-cache");
				thread.setDaemon(true);
				return thread;
			});
		}
		return this.preparer;
	}

	private void prepare(Path jar, List<String> heap, boolean train) {
		FileStamp stamp = FileStamp.of(jar);
		if (stamp == null) {
			return;
		}
		try {
			String key = key(jar, stamp);
			if (!stamp.equals(FileStamp.of(jar)) || this.failed.contains(key)) {
				// replaced while it was hashed (looked at again later), or failed before
				return;
			}
			BootCache cache = new BootCache(this.cacheDirectory.resolve(key), jar.getFileName().toString(),
					this.format);
			Files.createDirectories(cache.directory());
			if (cache.hasArchive() && accepted(cache, heap)) {
				publish(stamp, cache, "found");
				return;
			}
			if (train) {
				train(jar, stamp, key, cache, heap);
			}
		}
		catch (IOException ex) {
			logger.warn("Workers start without a class-data archive: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void train(Path jar, FileStamp stamp, String key, BootCache cache, List<String> heap)
			throws IOException, InterruptedException {
		try (FileChannel channel = FileChannel.open(cache.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				FileLock lock = channel.tryLock()) {
			if (lock == null) {
				// Another cluster of this version trains it; looked for again when every
				// worker is next ready.
				return;
			}
			if (cache.hasArchive() && accepted(cache, heap)) {
				publish(stamp, cache, "found");
				return;
			}
			logger.info("Training the " + this.format.description() + " workers will start from, in "
					+ cache.directory() + "; workers start as before meanwhile");
			long start = System.nanoTime();
			String failure = cache.hasLayout() ? null : this.builder.extract(cache, jar, stamp);
			if (failure == null) {
				List<String> launch = this.primary.launch();
				failure = this.builder.train(cache, trainingOptions(heap), launch.subList(2, launch.size()));
			}
			if (failure == null) {
				String refusal = this.builder.probe(cache, probeOptions(heap));
				failure = (refusal != null) ? "the JVM refused the archive it had just written: " + refusal : null;
			}
			if (failure != null && !stamp.equals(FileStamp.of(jar))) {
				// A deploy: the new version is trained once its workers are ready.
				logger.info("Stopped training for " + jar + ": it was replaced by a new version");
				return;
			}
			if (failure != null) {
				this.failed.add(key);
				cache.removeArchive();
				logger.warn("Workers start without a " + this.format.description() + ": " + failure);
				return;
			}
			publish(stamp, cache, String.format(Locale.ROOT, "trained in %.1f s", (System.nanoTime() - start) / 1e9));
		}
	}

	/** Probes the archive; one the JVM refuses is removed, with a warning. */
	private boolean accepted(BootCache cache, List<String> heap) throws IOException, InterruptedException {
		String refusal = this.builder.probe(cache, probeOptions(heap));
		if (refusal == null) {
			return true;
		}
		cache.removeArchive();
		logger.warn("The " + this.format.description() + " " + cache.archive() + " was refused by the JVM (" + refusal
				+ "): removed, to be trained again");
		return false;
	}

	private void publish(FileStamp stamp, BootCache cache, String how) {
		FileStamp archive = FileStamp.of(cache.archive());
		if (archive != null) {
			Prepared prepared = new Prepared(stamp, cache, archive);
			this.ready.set(prepared);
			this.published.add(prepared);
			logger
				.info("Workers start from the " + this.format.description() + " " + cache.archive() + " (" + how + ")");
		}
	}

	/** The key of the jar's version, hashed again when the jar or the options change. */
	private String key(Path jar, FileStamp stamp) throws IOException {
		List<String> options = workerOptions();
		if (!stamp.equals(this.hashedStamp) || !options.equals(this.hashedOptions) || this.hashedKey == null) {
			this.hashedKey = BootCacheKey.of(jar, Runtime.version() + " " + System.getProperty("java.home"), options);
			this.hashedStamp = stamp;
			this.hashedOptions = options;
		}
		return Objects.requireNonNull(this.hashedKey);
	}

	private List<String> workerOptions() {
		List<String> options = new ArrayList<>(this.primary.jvmOptions());
		options.addAll(this.workerJvmArgs);
		return options;
	}

	/** A worker's options, but no debugger: the training run must not wait for one. */
	private List<String> trainingOptions(List<String> heap) {
		List<String> options = new ArrayList<>(heap);
		workerOptions().stream()
			.filter((option) -> !option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp"))
			.forEach(options::add);
		return options;
	}

	private List<String> probeOptions(List<String> heap) {
		List<String> options = new ArrayList<>(heap);
		options.addAll(BootCacheKey.relevant(workerOptions()));
		return options;
	}

	/**
	 * A worker's command line, and the cache directory it starts from or {@code null}.
	 */
	record Start(List<String> command, @Nullable Path cache) {
	}

	/**
	 * A cache workers start from, with the stamps of the jar it was made for and of the
	 * archive as probed.
	 */
	private record Prepared(FileStamp jar, BootCache cache, FileStamp archive) {

		boolean isCurrent(Path currentJar) {
			return this.jar.equals(FileStamp.of(currentJar)) && this.archive.equals(FileStamp.of(this.cache.archive()));
		}

	}

}
