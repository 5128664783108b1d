package dev.bootcluster.autoconfigure;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.bootcluster.frontdoor.DescriptorBudget;
import dev.bootcluster.frontdoor.SchedulingPolicy;
import dev.bootcluster.primary.Backoff;
import dev.bootcluster.primary.ClusterSettings;
import dev.bootcluster.primary.Supervision;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Binds the {@code cluster.*} properties ({@link ClusterProperties}) and validates every
 * value into the primary's plain {@link ClusterSettings}.
 */
final class ClusterSettingsBinder {

	private ClusterSettingsBinder() {
	}

	private static final String WORKERS = "cluster.workers";

	/**
	 * Binds and validates the {@code cluster.*} properties.
	 * @throws InvalidClusterPropertyException naming the first property that is wrong
	 */
	static ClusterSettings bind(Environment environment, int cpus) {
		try {
			return validate(properties(environment), cpus);
		}
		catch (InvalidClusterPropertyException ex) {
			// The value as the user wrote it ("-1s", "100KB"), not as bound ("PT-1S").
			String written = environment.getProperty(ex.getProperty());
			throw (written != null) ? new InvalidClusterPropertyException(ex.getProperty(), written, ex.getAllowed())
					: ex;
		}
	}

	private static ClusterSettings validate(ClusterProperties properties, int cpus) {
		ClusterProperties.Worker worker = properties.getWorker();
		ClusterProperties.Restart restart = properties.getRestart();
		Duration initialDelay = positive("cluster.restart.initial-delay", restart.getInitialDelay());
		Duration maxDelay = positive("cluster.restart.max-delay", restart.getMaxDelay());
		if (maxDelay.compareTo(initialDelay) < 0) {
			throw new InvalidClusterPropertyException("cluster.restart.max-delay", maxDelay,
					"a duration no shorter than cluster.restart.initial-delay (" + asWritten(initialDelay) + ")");
		}
		int workers = workerCount(properties.getWorkers(), cpus);
		if (properties.getMinReadyWorkers() < 0 || properties.getMinReadyWorkers() > workers) {
			throw new InvalidClusterPropertyException("cluster.min-ready-workers", properties.getMinReadyWorkers(),
					"a whole number from 0 to cluster.workers (" + workers + ")");
		}
		Backoff backoff = new Backoff(initialDelay, maxDelay,
				positive("cluster.restart.reset-after", restart.getResetAfter()));
		int maxWorkers = (properties.getMaxWorkers() != null) ? properties.getMaxWorkers() : 4 * cpus;
		if (maxWorkers < workers) {
			throw new InvalidClusterPropertyException("cluster.max-workers", maxWorkers,
					"a whole number no smaller than cluster.workers (" + workers + ")");
		}
		// Workers use it; checked here so that a bad value stops the primary, not each
		// worker.
		positive(ClusterPrometheusAutoConfiguration.SCRAPE_TIMEOUT, properties.getMetrics().getScrapeTimeout());
		Duration shutdownTimeout = positive("cluster.worker.shutdown-timeout", worker.getShutdownTimeout());
		// Unset: a worker may refuse traffic as long as it may take to stop.
		Duration drainTimeout = (worker.getDrainTimeout() != null)
				? positive("cluster.worker.drain-timeout", worker.getDrainTimeout()) : shutdownTimeout;
		return new ClusterSettings(workers, policy(properties.getSchedulingPolicy()), splitJvmArgs(worker.getJvmArgs()),
				worker.isLogPrefix(), positive("cluster.worker.ready-timeout", worker.getReadyTimeout()),
				shutdownTimeout, drainTimeout, backoff,
				positive("cluster.front-door.queue-timeout", properties.getFrontDoor().getQueueTimeout()),
				positive("cluster.front-door.idle-timeout", properties.getFrontDoor().getIdleTimeout()),
				properties.getFrontDoor().getInternalHop(), maxWorkers, supervision(worker, restart),
				maxConnections(properties.getFrontDoor().getMaxConnections(), maxWorkers),
				maxHeaderSize(properties.getFrontDoor().getMaxHeaderSize()),
				sessionsMaxMemory(properties.getSessions().getMaxMemory()), worker.getClassDataSharing(),
				cacheDirectory(worker.getCacheDir()), startConcurrency(worker.getStartConcurrency(), cpus),
				worker.isShareArchivePages(), servingNice(worker.getServingNice()));
	}

	private static int servingNice(int servingNice) {
		if (servingNice < 0 || servingNice > 19) {
			throw new InvalidClusterPropertyException("cluster.worker.serving-nice", servingNice,
					"a whole number from 0 (workers serve at the primary's priority) to 19");
		}
		return servingNice;
	}

	/** Unset: one starting worker per CPU (see the README's measurement). */
	private static int startConcurrency(@Nullable Integer startConcurrency, int cpus) {
		if (startConcurrency == null) {
			return cpus;
		}
		if (startConcurrency < 1) {
			throw new InvalidClusterPropertyException("cluster.worker.start-concurrency", startConcurrency,
					"a whole number from 1, or unset for one per CPU (" + cpus + " here)");
		}
		return startConcurrency;
	}

	private static Path cacheDirectory(@Nullable String cacheDir) {
		if (!StringUtils.hasText(cacheDir)) {
			return Path.of(System.getProperty("java.io.tmpdir"),
					"boot-cluster-cache-" + System.getProperty("user.name"));
		}
		try {
			return Path.of(cacheDir.trim()).toAbsolutePath();
		}
		catch (InvalidPathException ex) {
			throw new InvalidClusterPropertyException("cluster.worker.cache-dir", cacheDir,
					"a directory path, or unset for one under the system's temporary directory");
		}
	}

	private static int maxHeaderSize(DataSize size) {
		if (size == null || size.toBytes() < 1024 || size.toBytes() > 1024 * 1024) {
			throw new InvalidClusterPropertyException("cluster.front-door.max-header-size", size,
					"a size from 1KB to 1MB, such as 16KB");
		}
		return (int) size.toBytes();
	}

	private static long sessionsMaxMemory(DataSize size) {
		if (size == null || size.toBytes() < 1024 * 1024) {
			throw new InvalidClusterPropertyException("cluster.sessions.max-memory", size,
					"a size from 1MB, such as 64MB or 1GB");
		}
		return size.toBytes();
	}

	private static int maxConnections(@Nullable Integer maxConnections, int maxWorkers) {
		if (maxConnections == null) {
			return DescriptorBudget.maxConnections(maxWorkers);
		}
		if (maxConnections < 1) {
			throw new InvalidClusterPropertyException("cluster.front-door.max-connections", maxConnections,
					"a whole number from 1, or unset for what the file-descriptor limit allows ("
							+ DescriptorBudget.maxConnections(maxWorkers) + " here)");
		}
		return maxConnections;
	}

	private static Supervision supervision(ClusterProperties.Worker worker, ClusterProperties.Restart restart) {
		Duration interval = positive("cluster.worker.heartbeat-interval", worker.getHeartbeatInterval());
		Duration timeout = positive("cluster.worker.heartbeat-timeout", worker.getHeartbeatTimeout());
		if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
			throw new InvalidClusterPropertyException("cluster.worker.heartbeat-timeout", timeout,
					"a duration at least twice cluster.worker.heartbeat-interval (" + asWritten(interval) + ")");
		}
		if (worker.getMaxMemory() != null && worker.getMaxMemory().toBytes() <= 0) {
			throw new InvalidClusterPropertyException("cluster.worker.max-memory", worker.getMaxMemory(),
					"a positive size such as 512MB or 2GB, or unset for no limit");
		}
		if (worker.getMaxLifetime() != null) {
			positive("cluster.worker.max-lifetime", worker.getMaxLifetime());
		}
		return new Supervision(interval, timeout, (worker.getMaxMemory() != null) ? worker.getMaxMemory().toBytes() : 0,
				positive("cluster.worker.check-interval", worker.getCheckInterval()),
				notNegative("cluster.worker.max-requests", worker.getMaxRequests()),
				notNegative("cluster.worker.max-requests-jitter", worker.getMaxRequestsJitter()),
				worker.getMaxLifetime(), (int) notNegative("cluster.restart.max-restarts", restart.getMaxRestarts()),
				positive("cluster.restart.window", restart.getWindow()));
	}

	/** A duration as one would write it in properties: {@code 5s}, {@code 100ms}. */
	private static String asWritten(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static long notNegative(String property, long value) {
		if (value < 0) {
			throw new InvalidClusterPropertyException(property, value, "a whole number from 0 (0: no limit)");
		}
		return value;
	}

	private static ClusterProperties properties(Environment environment) {
		try {
			return Binder.get(environment).bindOrCreate("cluster", Bindable.of(ClusterProperties.class));
		}
		catch (BindException ex) {
			String name = ex.getProperty() != null ? ex.getProperty().getName().toString() : ex.getName().toString();
			Object value = ex.getProperty() != null ? ex.getProperty().getValue() : "?";
			throw new InvalidClusterPropertyException(name, value, allowedFor(ex.getTarget()));
		}
	}

	private static SchedulingPolicy policy(SchedulingPolicy policy) {
		if (policy == SchedulingPolicy.OS && !System.getProperty("os.name").toLowerCase().contains("linux")) {
			throw new InvalidClusterPropertyException("cluster.scheduling-policy", policy.value(),
					"'os' needs Linux's SO_REUSEPORT; here choose " + policies(SchedulingPolicy.OS));
		}
		return policy;
	}

	private static String policies(SchedulingPolicy... except) {
		return Arrays.stream(SchedulingPolicy.values())
			.filter((policy) -> !Arrays.asList(except).contains(policy))
			.map((policy) -> "'" + policy.value() + "'")
			.collect(Collectors.joining(", "));
	}

	/** An enum's constants as written in properties: {@code 'unix-socket', 'tcp'}. */
	private static String values(Class<?> type) {
		return Arrays.stream(type.getEnumConstants())
			.map((constant) -> "'" + ((Enum<?>) constant).name().toLowerCase().replace('_', '-') + "'")
			.collect(Collectors.joining(", "));
	}

	private static String allowedFor(Bindable<?> target) {
		Class<?> type = target.getType().resolve(Object.class);
		if (type.isEnum()) {
			return "one of " + values(type);
		}
		if (type == DataSize.class) {
			return "a size such as 512MB or 2GB";
		}
		if (type == Duration.class) {
			return "a duration such as 500ms, 10s or 2m";
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return "a whole number";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		return "a value of type " + type.getSimpleName();
	}

	private static int workerCount(@Nullable String value, int cpus) {
		String trimmed = (value != null) ? value.trim() : "";
		if ("auto".equalsIgnoreCase(trimmed)) {
			return cpus;
		}
		try {
			int count = Integer.parseInt(trimmed);
			if (count >= 1) {
				return count;
			}
		}
		catch (NumberFormatException ex) {
			// reported below with the allowed values
		}
		throw new InvalidClusterPropertyException(WORKERS, value,
				"'auto' (one worker per CPU, " + cpus + " here) or a whole number from 1");
	}

	private static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidClusterPropertyException(property, value, "a positive duration such as 500ms, 10s or 2m");
		}
		return value;
	}

	private static List<String> splitJvmArgs(String jvmArgs) {
		return StringUtils.hasText(jvmArgs) ? Arrays.asList(jvmArgs.trim().split("\\s+")) : List.of();
	}

}
