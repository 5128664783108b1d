package dev.bootcluster.actuate;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.MetricDescriptor;

/**
 * The meters of one name of every worker that answered, each tagged with its worker's id,
 * in one registry that Boot's own {@link MetricsEndpoint} reads: Boot merges them exactly
 * as it merges the meters of one name in one application. The cluster-wide meters are the
 * answering worker's only, so that they count once.
 * <p>
 * Threads: confined to the request thread that reads the metric.
 */
final class ClusterMeters {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private int unreadable;

	/** Starts with the answering worker's meters, {@code own}, a snapshot text. */
	ClusterMeters(int worker, String own) {
		MeterSnapshots.register(own, worker, true, this.registry);
	}

	/**
	 * Adds the other workers' snapshot texts, by worker id; one that cannot be read is
	 * left out and counted.
	 */
	ClusterMeters add(Map<Integer, String> others) {
		for (Map.Entry<Integer, String> other : others.entrySet()) {
			try {
				MeterSnapshots.register(other.getValue(), other.getKey(), false, this.registry);
			}
			catch (IllegalArgumentException ex) {
				this.unreadable++;
			}
		}
		return this;
	}

	/** How many other workers' texts could not be read. */
	int unreadable() {
		return this.unreadable;
	}

	/** Boot's answer for {@code name} over the whole cluster's meters. */
	@Nullable MetricDescriptor metric(String name, @Nullable List<String> tag) {
		return new MetricsEndpoint(this.registry).metric(name, tag);
	}

}
