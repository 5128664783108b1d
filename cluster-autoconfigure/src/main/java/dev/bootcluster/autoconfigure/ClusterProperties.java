package dev.bootcluster.autoconfigure;

import java.time.Duration;

import dev.bootcluster.frontdoor.InternalHop;
import dev.bootcluster.frontdoor.SchedulingPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code cluster.*} properties. The primary binds them from the prepared
 * Environment before any application context exists; workers see the same values.
 */
@ConfigurationProperties("cluster")
public class ClusterProperties {

	/**
	 * Whether setting 'cluster.workers' turns the application into a cluster. Set to
	 * false to run one plain process whatever 'cluster.workers' says.
	 */
	private boolean enabled = true;

	/**
	 * How many worker processes serve the application: 'auto' for one per CPU, or a whole
	 * number from 1. Unset: no cluster, the application runs as one process.
	 */
	private String workers;

	/**
	 * How many workers must be ready for the 'cluster' health component to be UP.
	 */
	private int minReadyWorkers = 1;

	/**
	 * How new connections are spread over the workers: 'round-robin',
	 * 'least-connections', 'source-ip' (sticky by client address) or 'os' (every worker
	 * binds the port with SO_REUSEPORT and the kernel spreads connections; Linux only).
	 */
	private SchedulingPolicy schedulingPolicy = SchedulingPolicy.ROUND_ROBIN;

	/**
	 * The most workers 'POST /actuator/cluster/scale' (or SIGTTIN) may ask for. Unset:
	 * 4 per CPU.
	 */
	private Integer maxWorkers;

	public Integer getMaxWorkers() {
		return this.maxWorkers;
	}

	public void setMaxWorkers(Integer maxWorkers) {
		this.maxWorkers = maxWorkers;
	}

	private final Worker worker = new Worker();

	private final Restart restart = new Restart();

	private final FrontDoor frontDoor = new FrontDoor();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getWorkers() {
		return this.workers;
	}

	public void setWorkers(String workers) {
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

	public static class Worker {

		/**
		 * Extra JVM options for every worker, separated by spaces (for example
		 * '-Xmx512m -XX:+UseZGC'). They come after the primary's own JVM options, so they
		 * win where both set the same thing.
		 */
		private String jvmArgs = "";

		/**
		 * Whether each line a worker writes gets a '[worker N] ' prefix in the primary's
		 * output (like pm2). By default worker output goes to the primary's stdout and
		 * stderr unchanged; Boot's console pattern already shows each line's pid.
		 */
		private boolean logPrefix;

		/**
		 * How long a new worker may take to become ready (Boot's ACCEPTING_TRAFFIC) before
		 * it is killed and counted as a failed start.
		 */
		private Duration readyTimeout = Duration.ofSeconds(60);

		/**
		 * How long a stopping worker may take to finish its graceful shutdown before it is
		 * killed with SIGKILL.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * How long a worker may refuse traffic (out of rotation after its app reported
		 * REFUSING_TRAFFIC) before it is replaced, and how long a retired worker waits for
		 * the requests sent to it to be answered before it is stopped. Defaults to the
		 * shutdown timeout.
		 */
		private Duration drainTimeout;

		/**
		 * How often each worker tells the primary it is alive (from a dedicated thread, with
		 * its heap use and request count).
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		/**
		 * A ready worker silent this long is hung: the primary asks it for a thread dump
		 * (SIGQUIT, into the worker's output), takes it out of rotation, starts its
		 * replacement and stops it (SIGTERM, then SIGKILL after the shutdown timeout).
		 */
		private Duration heartbeatTimeout = Duration.ofSeconds(30);

		/**
		 * Largest resident set size (RSS) of a worker, such as 512MB; a worker above it is
		 * replaced gracefully, as in a one-worker reload. Unset: no limit.
		 */
		private DataSize maxMemory;

		/**
		 * How often the primary checks each worker's resident memory and lifetime.
		 */
		private Duration checkInterval = Duration.ofSeconds(10);

		/**
		 * How many requests a worker serves before it is replaced gracefully (like
		 * Gunicorn's max_requests). 0: no limit.
		 */
		private long maxRequests;

		/**
		 * Up to this many requests are added at random to each worker's max-requests, so
		 * that workers started together do not recycle together.
		 */
		private long maxRequestsJitter;

		/**
		 * How long a worker serves before it is replaced gracefully (up to 10% earlier at
		 * random, so that workers started together do not recycle together). Unset: no
		 * limit.
		 */
		private Duration maxLifetime;

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

		public DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(DataSize maxMemory) {
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

		public Duration getMaxLifetime() {
			return this.maxLifetime;
		}

		public void setMaxLifetime(Duration maxLifetime) {
			this.maxLifetime = maxLifetime;
		}

		public String getJvmArgs() {
			return this.jvmArgs;
		}

		public void setJvmArgs(String jvmArgs) {
			this.jvmArgs = jvmArgs;
		}

		public boolean isLogPrefix() {
			return this.logPrefix;
		}

		public void setLogPrefix(boolean logPrefix) {
			this.logPrefix = logPrefix;
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

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

	public static class Restart {

		/**
		 * Delay before the first restart of a worker that died. It doubles with each
		 * further death of the same worker slot.
		 */
		private Duration initialDelay = Duration.ofMillis(100);

		/**
		 * Longest delay between restarts of a worker that keeps dying.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * How long a worker must stay up for its restart delay to go back to the initial
		 * delay.
		 */
		private Duration resetAfter = Duration.ofSeconds(60);

		/**
		 * How many restarts of one worker slot within 'cluster.restart.window' make it a
		 * crash loop: the slot is marked FAILED and not restarted (until a reload or a
		 * restart request). 0: no limit.
		 */
		private int maxRestarts = 10;

		/**
		 * The window in which 'cluster.restart.max-restarts' restarts mark a crash loop.
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
		 * How long a new connection waits for a ready worker when there is none (during the
		 * restart of a one-worker cluster, say) before it is closed.
		 */
		private Duration queueTimeout = Duration.ofSeconds(30);

		/**
		 * How long a relayed connection may stay silent in both directions before the
		 * front door closes it. Long enough for WebSocket connections with the usual pings.
		 */
		private Duration idleTimeout = Duration.ofMinutes(5);

		/**
		 * Largest HTTP/1.x request or response head (request line and header fields) the
		 * front door reads; a client that sends a larger one gets a 400.
		 */
		private DataSize maxHeaderSize = DataSize.ofKilobytes(16);

		/**
		 * How the front door reaches the workers: 'unix-socket' (a Unix domain socket
		 * where the worker's server can listen on one: Tomcat, and Jetty with
		 * jetty-unixdomain-server; loopback TCP otherwise) or 'tcp' (loopback TCP always).
		 */
		private InternalHop internalHop = InternalHop.UNIX_SOCKET;

		/**
		 * The most client connections the front door relays at once; more wait in the
		 * listen backlog. Defaults to what the process's file-descriptor limit allows (two
		 * per connection, less a reserve).
		 */
		private Integer maxConnections;

		public Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(Integer maxConnections) {
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

}
