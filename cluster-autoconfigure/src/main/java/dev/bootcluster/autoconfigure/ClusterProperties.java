package dev.bootcluster.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.frontdoor.InternalHop;
import dev.bootcluster.frontdoor.SchedulingPolicy;
import dev.bootcluster.primary.ClassDataSharing;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code cluster.*} properties. The primary binds them from the prepared Environment
 * before any application context exists; workers see the same values.
 */
@ConfigurationProperties("cluster")
public class ClusterProperties {

	/**
	 * Whether setting 'cluster.workers' runs the application as a cluster.
	 */
	private boolean enabled = true;

	/**
	 * Number of worker processes, or 'auto' for one per CPU; unset, the application runs
	 * as one process.
	 */
	private @Nullable String workers;

	/**
	 * Minimum number of ready workers for the 'cluster' health component to be UP.
	 */
	private int minReadyWorkers = 1;

	/**
	 * Policy that picks the worker for each new connection.
	 */
	private SchedulingPolicy schedulingPolicy = SchedulingPolicy.ROUND_ROBIN;

	/**
	 * Maximum number of workers that scaling may ask for; 4 per CPU when unset.
	 */
	private @Nullable Integer maxWorkers;

	public @Nullable Integer getMaxWorkers() {
		return this.maxWorkers;
	}

	public void setMaxWorkers(@Nullable Integer maxWorkers) {
		this.maxWorkers = maxWorkers;
	}

	private final Worker worker = new Worker();

	private final Restart restart = new Restart();

	private final FrontDoor frontDoor = new FrontDoor();

	private final Metrics metrics = new Metrics();

	private final Sessions sessions = new Sessions();

	private final Messaging messaging = new Messaging();

	private final Cache cache = new Cache();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getWorkers() {
		return this.workers;
	}

	public void setWorkers(@Nullable String workers) {
		this.workers = workers;
	}

	public int getMinReadyWorkers() {
		return this.minReadyWorkers;
	}

	public void setMinReadyWorkers(int minReadyWorkers) {
		this.minReadyWorkers = minReadyWorkers;
	}

	public SchedulingPolicy getSchedulingPolicy() {
		return this.schedulingPolicy;
	}

	public void setSchedulingPolicy(SchedulingPolicy schedulingPolicy) {
		this.schedulingPolicy = schedulingPolicy;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Restart getRestart() {
		return this.restart;
	}

	public FrontDoor getFrontDoor() {
		return this.frontDoor;
	}

	public Sessions getSessions() {
		return this.sessions;
	}

	public Messaging getMessaging() {
		return this.messaging;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public static class Metrics {

		/**
		 * Time a cluster-wide Prometheus scrape or metrics read waits for the other
		 * workers; one that has not answered by then is left out.
		 */
		private Duration scrapeTimeout = Duration.ofSeconds(2);

		public Duration getScrapeTimeout() {
			return this.scrapeTimeout;
		}

		public void setScrapeTimeout(Duration scrapeTimeout) {
			this.scrapeTimeout = scrapeTimeout;
		}

	}

	public static class Worker {

		/**
		 * Extra JVM options for every worker, separated by spaces, that come after the
		 * primary's own.
		 */
		private String jvmArgs = "";

		/**
		 * Whether to prefix each line a worker writes with '[worker N] '.
		 */
		private boolean logPrefix;

		/**
		 * Whether workers start from an AOT cache (JDK 25+) or a CDS archive the primary
		 * trains once per version of the jar: 'auto' where the app runs with java -jar,
		 * or 'off'.
		 */
		private ClassDataSharing classDataSharing = ClassDataSharing.AUTO;

		/**
		 * Directory for the extracted jars and archives workers start from, by default
		 * 'boot-cluster-cache-<user>' under the system's temporary directory.
		 */
		private @Nullable String cacheDir;

		/**
		 * Maximum number of workers starting (launched, not yet ready) at once, the
		 * others waiting for one to be ready; one per CPU when unset.
		 */
		private @Nullable Integer startConcurrency;

		/**
		 * Whether workers map their class-data archive at its fixed address
		 * (-XX:ArchiveRelocationMode=0), so its pages are shared between them, giving up
		 * the randomisation of that address.
		 */
		private boolean shareArchivePages;

		/**
		 * How much nicer (lower in CPU priority) a worker runs once it serves than the
		 * primary and a starting worker, so that on a busy host a restart or a reload's
		 * new worker is not starved by the serving ones (Linux); 0 to keep every worker
		 * at the primary's priority.
		 */
		private int servingNice = 5;

		/**
		 * Whether each worker prints the application's banner as it starts; the primary
		 * prints it once for the cluster either way.
		 */
		private boolean banner;

		/**
		 * Time a new worker may take to become ready before it is killed as a failed
		 * start.
		 */
		private Duration readyTimeout = Duration.ofSeconds(60);

		/**
		 * Time a stopping worker may take to shut down gracefully before it is killed.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Time a worker may stay out of rotation, or a retired worker wait for its
		 * answers, before it is replaced or stopped; the shutdown timeout when unset.
		 */
		private @Nullable Duration drainTimeout;

		/**
		 * Interval between a worker's heartbeats to the primary.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		/**
		 * Time without a heartbeat after which a ready worker is taken as hung and
		 * replaced.
		 */
		private Duration heartbeatTimeout = Duration.ofSeconds(30);

		/**
		 * Resident memory above which a worker is replaced gracefully.
		 */
		private @Nullable DataSize maxMemory;

		/**
		 * Interval between checks of each worker's resident memory and lifetime.
		 */
		private Duration checkInterval = Duration.ofSeconds(10);

		/**
		 * Number of requests after which a worker is replaced gracefully, or 0 for no
		 * limit.
		 */
		private long maxRequests;

		/**
		 * Maximum number of requests added at random to each worker's max-requests.
		 */
		private long maxRequestsJitter;

		/**
		 * Time after which a worker is replaced gracefully, up to 10% earlier at random.
		 */
		private @Nullable Duration maxLifetime;

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getHeartbeatTimeout() {
			return this.heartbeatTimeout;
		}

		public void setHeartbeatTimeout(Duration heartbeatTimeout) {
			this.heartbeatTimeout = heartbeatTimeout;
		}

		public @Nullable DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(@Nullable DataSize maxMemory) {
			this.maxMemory = maxMemory;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public long getMaxRequests() {
			return this.maxRequests;
		}

		public void setMaxRequests(long maxRequests) {
			this.maxRequests = maxRequests;
		}

		public long getMaxRequestsJitter() {
			return this.maxRequestsJitter;
		}

		public void setMaxRequestsJitter(long maxRequestsJitter) {
			this.maxRequestsJitter = maxRequestsJitter;
		}

		public @Nullable Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		public void setMaxLifetime(@Nullable Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		public String getJvmArgs() {
			return this.jvmArgs;
		}

		public void setJvmArgs(String jvmArgs) {
			this.jvmArgs = jvmArgs;
		}

		public ClassDataSharing getClassDataSharing() {
			return this.classDataSharing;
		}

		public void setClassDataSharing(ClassDataSharing classDataSharing) {
			this.classDataSharing = classDataSharing;
		}

		public @Nullable Integer getStartConcurrency() {
			return this.startConcurrency;
		}

		public void setStartConcurrency(@Nullable Integer startConcurrency) {
			this.startConcurrency = startConcurrency;
		}

		public @Nullable String getCacheDir() {
			return this.cacheDir;
		}

		public void setCacheDir(@Nullable String cacheDir) {
			this.cacheDir = cacheDir;
		}

		public int getServingNice() {
			return this.servingNice;
		}

		public void setServingNice(int servingNice) {
			this.servingNice = servingNice;
		}

		public boolean isShareArchivePages() {
			return this.shareArchivePages;
		}

		public void setShareArchivePages(boolean shareArchivePages) {
			this.shareArchivePages = shareArchivePages;
		}

		public boolean isLogPrefix() {
			return this.logPrefix;
		}

		public void setLogPrefix(boolean logPrefix) {
			this.logPrefix = logPrefix;
		}

		public boolean isBanner() {
			return this.banner;
		}

		public void setBanner(boolean banner) {
			this.banner = banner;
		}

		public Duration getReadyTimeout() {
			return this.readyTimeout;
		}

		public void setReadyTimeout(Duration readyTimeout) {
			this.readyTimeout = readyTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public @Nullable Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(@Nullable Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	public static class Restart {

		/**
		 * Delay before restarting a worker that died, doubled with each further death.
		 */
		private Duration initialDelay = Duration.ofMillis(100);

		/**
		 * Maximum delay before restarting a worker that keeps dying.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * Uptime after which a worker's restart delay goes back to the initial delay.
		 */
		private Duration resetAfter = Duration.ofSeconds(60);

		/**
		 * Number of restarts within the window after which a worker slot is marked
		 * FAILED, or 0 for no limit.
		 */
		private int maxRestarts = 10;

		/**
		 * Time window in which restarts count towards 'cluster.restart.max-restarts'.
		 */
		private Duration window = Duration.ofMinutes(5);

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getResetAfter() {
			return this.resetAfter;
		}

		public void setResetAfter(Duration resetAfter) {
			this.resetAfter = resetAfter;
		}

	}

	public static class FrontDoor {

		/**
		 * Time a new connection waits for a ready worker when there is none.
		 */
		private Duration queueTimeout = Duration.ofSeconds(30);

		/**
		 * Time after which a relayed connection silent in both directions is closed.
		 */
		private Duration idleTimeout = Duration.ofMinutes(5);

		/**
		 * Maximum size of an HTTP/1.x request or response head that the front door reads.
		 */
		private DataSize maxHeaderSize = DataSize.ofKilobytes(16);

		/**
		 * How the front door reaches the workers: a Unix domain socket where the server
		 * supports one, or loopback TCP.
		 */
		private InternalHop internalHop = InternalHop.UNIX_SOCKET;

		/**
		 * Maximum number of client connections relayed at once; what the file-descriptor
		 * limit allows when unset.
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Ports of the application's own servers (gRPC, RSocket, any TCP protocol) that
		 * the primary fronts too, as 'name=port' entries; each worker serves it on the
		 * loopback port in 'cluster.worker.port.[name]'.
		 */
		private List<String> extraPorts = new ArrayList<>();

		public List<String> getExtraPorts() {
			return this.extraPorts;
		}

		public void setExtraPorts(List<String> extraPorts) {
			this.extraPorts = extraPorts;
		}

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public InternalHop getInternalHop() {
			return this.internalHop;
		}

		public void setInternalHop(InternalHop internalHop) {
			this.internalHop = internalHop;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public DataSize getMaxHeaderSize() {
			return this.maxHeaderSize;
		}

		public void setMaxHeaderSize(DataSize maxHeaderSize) {
			this.maxHeaderSize = maxHeaderSize;
		}

		public Duration getQueueTimeout() {
			return this.queueTimeout;
		}

		public void setQueueTimeout(Duration queueTimeout) {
			this.queueTimeout = queueTimeout;
		}

	}

	public static class Sessions {

		/**
		 * Where workers keep HTTP sessions: 'primary' shares them through the primary, so
		 * that logins survive round-robin, reloads and crashes; 'none' leaves each worker
		 * its own.
		 */
		private Store store = Store.PRIMARY;

		/**
		 * Maximum memory the primary gives to sessions; the least recently used are
		 * evicted beyond it.
		 */
		private DataSize maxMemory = DataSize.ofMegabytes(64);

		public Store getStore() {
			return this.store;
		}

		public void setStore(Store store) {
			this.store = store;
		}

		public DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(DataSize maxMemory) {
			this.maxMemory = maxMemory;
		}

		/** Where sessions are kept. */
		public enum Store {

			/** In the primary, shared by every worker. */
			PRIMARY,

			/** In each worker, as without the cluster. */
			NONE

		}

	}

	public static class Messaging {

		/**
		 * Maximum size of a message's payload between workers; larger ones are refused at
		 * the sender.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(1);

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	public static class Cache {

		/**
		 * Whether Spring Cache's evictions, puts and clears in one worker also evict
		 * those entries in every other worker.
		 */
		private boolean coherent = true;

		public boolean isCoherent() {
			return this.coherent;
		}

		public void setCoherent(boolean coherent) {
			this.coherent = coherent;
		}

	}

}
