package dev.bootcluster.actuate;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.MetricDescriptor;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.MetricNamesDescriptor;

/**
 * The meter names, or the meters of one name, of every worker that answered, in one
 * registry that Boot's own {@link MetricsEndpoint} reads: Boot merges them exactly as it
 * merges the meters of one name in one application. Each worker's meters are tagged with
 * its id; the cluster-wide meters are the answering worker's only, so that they count
 * once.
 * <p>
 * Threads: confined to the request thread that reads the metrics.
 */
final class ClusterMeters {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final Reader others;

	private int unreadable;

	private ClusterMeters(Reader others) {
		this.others = others;
	}

	/** Starts with the answering worker's meter names, {@code own}. */
	static ClusterMeters names(Collection<String> own) {
		Reader names = (text, worker, registry) -> MeterSnapshots.registerNames(text, registry);
		ClusterMeters cluster = new ClusterMeters(names);
		names.read(MeterSnapshots.names(own), 0, cluster.registry);
		return cluster;
	}

	/**
	 * Starts with the meters of the answering worker, {@code worker}, a snapshot text
	 * {@code own}, the cluster-wide meters included.
	 */
	static ClusterMeters meters(int worker, String own) {
		ClusterMeters cluster = new ClusterMeters(
				(text, other, registry) -> MeterSnapshots.register(text, other, false, registry));
		MeterSnapshots.register(own, worker, true, cluster.registry);
		return cluster;
	}

	/**
	 * Adds the other workers' texts, by worker id; one that cannot be read is left out
	 * and counted.
	 */
	ClusterMeters add(Map<Integer, String> others) {
		for (Map.Entry<Integer, String> other : others.entrySet()) {
			try {
				this.others.read(other.getValue(), other.getKey(), this.registry);
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

	/** Boot's answer for the names of the whole cluster's meters. */
	MetricNamesDescriptor names() {
		return new MetricsEndpoint(this.registry).listNames();
	}

	/** Boot's answer for {@code name} over the whole cluster's meters. */
	@Nullable MetricDescriptor metric(String name, @Nullable List<String> tag) {
		return new MetricsEndpoint(this.registry).metric(name, tag);
	}

	/** Registers what a worker's text carries. */
	private interface Reader {

		void read(String text, int worker, MeterRegistry registry);

	}

}
