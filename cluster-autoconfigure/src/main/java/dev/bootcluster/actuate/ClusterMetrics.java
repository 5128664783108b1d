package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.WorkerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for the whole cluster, as the primary sees it:
 * {@code cluster.workers} by state, {@code cluster.worker.restarts},
 * {@code cluster.connections.active} and {@code cluster.reloads} by outcome. Every worker
 * reports the same cluster-wide values; the cluster-wide Prometheus scrape and metrics
 * endpoint report them once ({@link #isClusterWide}).
 * <p>
 * Threads: meters are read on any thread; the status is fetched at most once a second.
 */
public class ClusterMetrics implements MeterBinder {

	private static final Duration FRESH_FOR = Duration.ofSeconds(1);

	/**
	 * The Prometheus names of these meters' families, each with or without
	 * {@code _total}.
	 */
	private static final Set<String> PROMETHEUS_NAMES = Set.of("cluster_workers", "cluster_worker_restarts",
			"cluster_connections_active", "cluster_reloads", "cluster_front_door_failed_requests");

	private final ClusterControl control;

	private volatile @Nullable ClusterStatus status;

	private volatile long fetchedAt;

	public ClusterMetrics(ClusterControl control) {
		this.control = control;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (WorkerState state : WorkerState.values()) {
			Gauge.builder("cluster.workers", this, value((status) -> status.count(state)))
				.tag("state", state.name())
				.description("Worker processes in each state")
				.register(registry);
		}
		FunctionCounter.builder("cluster.worker.restarts", this, value(ClusterMetrics::restarts))
			.description("Restarts of workers that died")
			.register(registry);
		Gauge.builder("cluster.connections.active", this, value(ClusterMetrics::activeConnections))
			.description("Client connections relayed to workers now")
			.register(registry);
		FunctionCounter.builder("cluster.reloads", this, value(ClusterStatus::reloadsSucceeded))
			.tag("outcome", "succeeded")
			.description("Rolling reloads that ended")
			.register(registry);
		FunctionCounter.builder("cluster.reloads", this, value(ClusterStatus::reloadsFailed))
			.tag("outcome", "failed")
			.description("Rolling reloads that ended")
			.register(registry);
		FunctionCounter.builder("cluster.front-door.failed.requests", this, value(ClusterStatus::failedRequests))
			.description("Requests the front door answered 502 Bad Gateway or cut short")
			.register(registry);
	}

	/**
	 * The count of workers left out of cluster-wide reads of metrics because they did not
	 * answer in time.
	 */
	static Counter scrapeMissed(MeterRegistry registry) {
		return Counter.builder("cluster.metrics.scrape.missed")
			.description("Workers left out of a cluster-wide scrape because they did not answer in time")
			.register(registry);
	}

	/**
	 * Whether a Prometheus family is one of these cluster-wide meters, which every worker
	 * reports alike.
	 */
	static boolean isClusterWide(String family) {
		return PROMETHEUS_NAMES.contains(family.endsWith("_total") ? family.substring(0, family.length() - 6) : family);
	}

	private static ToDoubleFunction<ClusterMetrics> value(ToDoubleFunction<ClusterStatus> read) {
		return (metrics) -> {
			ClusterStatus status = metrics.status();
			return (status != null) ? read.applyAsDouble(status) : Double.NaN;
		};
	}

	private static double restarts(ClusterStatus status) {
		// Every process of a slot carries the slot's count: count each slot once.
		return status.workers()
			.stream()
			.collect(Collectors.toMap(ClusterStatus.Worker::id, ClusterStatus.Worker::restarts, Math::max))
			.values()
			.stream()
			.mapToInt(Integer::intValue)
			.sum();
	}

	private static double activeConnections(ClusterStatus status) {
		return status.workers().stream().mapToInt(ClusterStatus.Worker::activeConnections).sum();
	}

	private @Nullable ClusterStatus status() {
		long now = System.nanoTime();
		if (this.status == null || now - this.fetchedAt > FRESH_FOR.toNanos()) {
			try {
				this.status = this.control.status();
				this.fetchedAt = now;
			}
			catch (ClusterControl.PrimaryUnreachableException ex) {
				return null;
			}
		}
		return this.status;
	}

}
