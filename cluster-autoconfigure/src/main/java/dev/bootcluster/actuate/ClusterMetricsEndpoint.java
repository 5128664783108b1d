package dev.bootcluster.actuate;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.worker.GatheredMetrics;
import dev.bootcluster.worker.WorkerAgent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;

/**
 * Boot's {@code metrics} endpoint for the whole cluster: the names of the meters of every
 * ready worker, and for one name their measurements merged by Boot's own rules (a
 * {@code MAX} the largest, any other statistic summed), with a {@code worker} tag that
 * names the workers that have the meter ({@code ?tag=worker:2} narrows to one). Each
 * other worker's meters of that name are gathered by the primary over the control channel
 * and registered, as fixed snapshots, next to this worker's own in a registry of the
 * whole cluster that Boot's endpoint then reads; the cluster-wide meters are this
 * worker's only. A worker that has not answered within the scrape timeout is left out and
 * counted in {@code cluster.metrics.scrape.missed}, as for the Prometheus scrape.
 * <p>
 * Threads: reads run on request threads, each with a registry of its own; the gathered
 * metrics are filled by the channel's watcher thread and read once complete.
 */
public class ClusterMetricsEndpoint extends MetricsEndpoint {

	/** What a primary slower than the deadline is given before the read goes on. */
	private static final Duration MARGIN = Duration.ofMillis(500);

	private static final String NAMES = "names";

	private static final String METERS = "meters";

	private final MeterRegistry registry;

	private final WorkerAgent agent;

	private final Duration timeout;

	private final Counter missed;

	public ClusterMetricsEndpoint(MeterRegistry registry, WorkerAgent agent, Duration timeout) {
		super(registry);
		this.registry = registry;
		this.agent = agent;
		this.timeout = timeout;
		this.missed = ClusterMetrics.scrapeMissed(registry);
		agent.collectMetricsWith(NAMES, (argument) -> MeterSnapshots.names(super.listNames().getNames()));
		agent.collectMetricsWith(METERS, (name) -> MeterSnapshots.meters(firstMatching(registry, name)));
	}

	@Override
	@ReadOperation
	public MetricNamesDescriptor listNames() {
		CompletableFuture<GatheredMetrics> others = this.agent.gatherMetrics(this.timeout, MARGIN, NAMES, "");
		ClusterMeters cluster = ClusterMeters.names(super.listNames().getNames());
		GatheredMetrics gathered = others.join();
		cluster.add(gathered.texts());
		this.missed.increment(gathered.missed() + cluster.unreadable());
		return cluster.names();
	}

	@Override
	@ReadOperation
	public @Nullable MetricDescriptor metric(@Selector String requiredMetricName, @Nullable List<String> tag) {
		CompletableFuture<GatheredMetrics> others = this.agent.gatherMetrics(this.timeout, MARGIN, METERS,
				requiredMetricName);
		ClusterMeters cluster = ClusterMeters.meters(this.agent.id(),
				MeterSnapshots.meters(firstMatching(this.registry, requiredMetricName)));
		GatheredMetrics gathered = others.join();
		cluster.add(gathered.texts());
		this.missed.increment(gathered.missed() + cluster.unreadable());
		return cluster.metric(requiredMetricName, tag);
	}

	/**
	 * The meters named {@code name} of the first registry that has any, as Boot's
	 * endpoint reads a composite registry.
	 */
	private static Collection<Meter> firstMatching(MeterRegistry registry, String name) {
		if (registry instanceof CompositeMeterRegistry composite) {
			return composite.getRegistries()
				.stream()
				.map((child) -> firstMatching(child, name))
				.filter((meters) -> !meters.isEmpty())
				.findFirst()
				.orElse(List.of());
		}
		return registry.find(name).meters();
	}

}
