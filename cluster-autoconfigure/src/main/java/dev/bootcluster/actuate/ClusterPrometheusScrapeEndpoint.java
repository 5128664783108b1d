package dev.bootcluster.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.bootcluster.worker.GatheredMetrics;
import dev.bootcluster.worker.WorkerAgent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * Boot's {@code prometheus} endpoint for the whole cluster: this worker's own meters and
 * those of every other ready worker, gathered by the primary over the control channel,
 * each tagged {@code worker="<id>"}, and the cluster-wide meters once. A worker that has
 * not answered within the scrape timeout is left out and counted in
 * {@code cluster.metrics.scrape.missed}. The answer is always in text format 0.0.4, which
 * every Prometheus reads.
 * <p>
 * Threads: scrapes run on request threads; the gathered metrics are filled by the
 * channel's watcher thread and read once complete.
 */
public class ClusterPrometheusScrapeEndpoint extends PrometheusScrapeEndpoint {

	/** What a primary slower than the deadline is given before the scrape goes on. */
	private static final Duration MARGIN = Duration.ofMillis(500);

	private final WorkerAgent agent;

	private final Duration timeout;

	private final Predicate<String> clusterWide;

	private final Counter missed;

	public ClusterPrometheusScrapeEndpoint(PrometheusRegistry registry, @Nullable Properties exporterProperties,
			WorkerAgent agent, Duration timeout, MeterRegistry meters) {
		super(registry, exporterProperties);
		this.agent = agent;
		this.timeout = timeout;
		this.clusterWide = ClusterMetrics::isClusterWide;
		this.missed = ClusterMetrics.scrapeMissed(meters);
		agent.collectMetricsWith(this::ownText);
	}

	@Override
	@ReadOperation(producesFrom = PrometheusOutputFormat.class)
	public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
		CompletableFuture<GatheredMetrics> others = this.agent.gatherMetrics(this.timeout, MARGIN);
		String own = text(super.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, includedNames));
		GatheredMetrics gathered = others.join();
		this.missed.increment(gathered.missed());
		PrometheusTextMerge merge = new PrometheusTextMerge(this.clusterWide).add(this.agent.id(), own);
		for (Map.Entry<Integer, String> other : gathered.texts().entrySet()) {
			merge.add(other.getKey(),
					(includedNames != null) ? only(other.getValue(), includedNames) : other.getValue());
		}
		return new WebEndpointResponse<>(merge.text().getBytes(StandardCharsets.UTF_8),
				PrometheusOutputFormat.CONTENT_TYPE_004);
	}

	/** This worker's own meters, as the primary collects them for another's scrape. */
	private String ownText() {
		return text(super.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null));
	}

	private static String text(WebEndpointResponse<byte[]> response) {
		return new String(response.getBody(), StandardCharsets.UTF_8);
	}

	/**
	 * {@code text} with only the samples named in {@code names}, as Boot's endpoint
	 * filters; a family left without samples is dropped by the merge.
	 */
	private static String only(String text, Set<String> names) {
		StringBuilder kept = new StringBuilder();
		for (String line : text.split("\n")) {
			if (line.startsWith("#") || names.contains(line.split("[{ ]", 2)[0])) {
				kept.append(line).append('\n');
			}
		}
		return kept.toString();
	}

}
