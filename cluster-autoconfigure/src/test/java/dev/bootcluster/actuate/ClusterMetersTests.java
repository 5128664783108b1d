package dev.bootcluster.actuate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.AvailableTag;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.MetricDescriptor;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.Sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link ClusterMeters} and the {@link MeterSnapshots} that carry each worker's
 * meters: Boot's merge over the whole cluster.
 */
class ClusterMetersTests {

	@Test
	void countsAndTotalsAreSummedAndMaximaTakenOverAllWorkers() {
		ClusterMeters cluster = ClusterMeters.meters(1, snapshot("requests", timer("/a", 2, 30)))
			.add(Map.of(2, snapshot("requests", timer("/a", 3, 50)), 3, snapshot("requests", timer("/b", 1, 10))));
		MetricDescriptor metric = cluster.metric("requests", null);
		assertThat(metric.getBaseUnit()).isEqualTo("seconds");
		assertThat(statistics(metric)).containsEntry(Statistic.COUNT, 6.0).containsEntry(Statistic.MAX, 0.05);
		assertThat(statistics(metric).get(Statistic.TOTAL_TIME)).isCloseTo(0.06 + 0.15 + 0.01, within(1e-9));
	}

	@Test
	void tagsAreTheUnionWithTheWorkersThatHaveTheMeter() {
		ClusterMeters cluster = ClusterMeters.meters(1, snapshot("requests", timer("/a", 1, 1)))
			.add(Map.of(3, snapshot("requests", timer("/b", 1, 1)), 4, snapshot("other", timer("/c", 1, 1))));
		assertThat(tags(cluster.metric("requests", null))).containsOnly(Map.entry("uri", Set.of("/a", "/b")),
				Map.entry("worker", Set.of("1", "3")));
	}

	@Test
	void theWorkerTagNarrowsToOneWorker() {
		ClusterMeters cluster = ClusterMeters.meters(1, snapshot("requests", timer("/a", 2, 30)))
			.add(Map.of(2, snapshot("requests", timer("/a", 3, 50))));
		MetricDescriptor metric = cluster.metric("requests", List.of("worker:2"));
		assertThat(statistics(metric)).containsEntry(Statistic.COUNT, 3.0).containsEntry(Statistic.MAX, 0.05);
		assertThat(tags(metric)).containsOnlyKeys("uri");
		assertThat(cluster.metric("requests", List.of("worker:9"))).isNull();
	}

	@Test
	void theClusterWideMetersCountOnceFromTheAnsweringWorker() {
		ClusterMeters cluster = ClusterMeters.meters(1, snapshot("cluster.connections.active", clusterGauge(7)))
			.add(Map.of(2, snapshot("cluster.connections.active", clusterGauge(7))));
		assertThat(statistics(cluster.metric("cluster.connections.active", null))).containsEntry(Statistic.VALUE, 7.0);
		assertThat(tags(cluster.metric("cluster.connections.active", null))).containsEntry("worker", Set.of("1"));
	}

	@Test
	void aTextThatIsNotASnapshotOfMetersIsLeftOutAndCounted() {
		ClusterMeters cluster = ClusterMeters.meters(1, snapshot("requests", timer("/a", 2, 30)))
			.add(Map.of(2, "# TYPE requests_seconds summary\nrequests_seconds_count 3.0\n", 3,
					MeterSnapshots.names(List.of("requests"))));
		assertThat(cluster.unreadable()).isEqualTo(2);
		assertThat(statistics(cluster.metric("requests", null))).containsEntry(Statistic.COUNT, 2.0);
	}

	@Test
	void theNamesAreTheUnionOverAllWorkers() {
		ClusterMeters cluster = ClusterMeters.names(List.of("http.server.requests", "jvm.memory.used"))
			.add(Map.of(2, MeterSnapshots.names(List.of("jvm.memory.used", "orders.placed")), 3,
					MeterSnapshots.names(List.of("a name with spaces & tabs\t")), 4, MeterSnapshots.names(List.of())));
		assertThat(cluster.names().getNames()).containsExactlyInAnyOrder("http.server.requests", "jvm.memory.used",
				"orders.placed", "a name with spaces & tabs\t");
		assertThat(cluster.unreadable()).isZero();
	}

	@Test
	void namesFromAWorkerThatSentSomethingElseAreLeftOutAndCounted() {
		ClusterMeters cluster = ClusterMeters.names(List.of("jvm.memory.used"))
			.add(Map.of(2, "# HELP x\nx 1.0\n", 3, snapshot("requests", timer("/a", 1, 1))));
		assertThat(cluster.names().getNames()).containsExactly("jvm.memory.used");
		assertThat(cluster.unreadable()).isEqualTo(2);
	}

	private static Consumer<MeterRegistry> timer(String uri, int count, long millisEach) {
		return (registry) -> {
			Timer timer = Timer.builder("requests").tag("uri", uri).register(registry);
			for (int i = 0; i < count; i++) {
				timer.record(millisEach, TimeUnit.MILLISECONDS);
			}
			Counter.builder("other").tag("uri", uri).register(registry).increment();
		};
	}

	private static Consumer<MeterRegistry> clusterGauge(double value) {
		return (registry) -> Gauge.builder("cluster.connections.active", () -> value).register(registry);
	}

	private static String snapshot(String name, Consumer<MeterRegistry> meters) {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		meters.accept(registry);
		return MeterSnapshots.meters(registry.find(name).meters());
	}

	private static Map<Statistic, Double> statistics(MetricDescriptor metric) {
		return metric.getMeasurements().stream().collect(Collectors.toMap(Sample::getStatistic, Sample::getValue));
	}

	private static Map<String, Set<String>> tags(MetricDescriptor metric) {
		return metric.getAvailableTags()
			.stream()
			.collect(Collectors.toMap(AvailableTag::getTag, AvailableTag::getValues));
	}

}
