package dev.bootcluster.worker;

import java.util.List;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.MetricsText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GatheredMetrics} and the {@link MetricsText} parts it reassembles.
 */
class GatheredMetricsTests {

	@Test
	void reassemblesEachWorkersPartsAndCountsTheWorkersThatDidNotAnswer() {
		String big = "metric_a{n=\"x\"} 1.0\n".repeat(20_000) + "é\n";
		List<String> parts = MetricsText.parts(big);
		assertThat(parts).allSatisfy((part) -> assertThat(part).doesNotContain("\t", "\n"));
		GatheredMetrics gathered = new GatheredMetrics();
		for (int i = 0; i < parts.size(); i++) {
			gathered
				.add(Message.of(Message.Type.METRICS, "s", 2, (i < parts.size() - 1) ? "more" : "last", parts.get(i)));
		}
		gathered.add(Message.of(Message.Type.METRICS, "s", 3, "more", MetricsText.parts("cut short").get(0)));
		assertThat(gathered.done()).isNotDone();
		gathered.add(Message.of(Message.Type.SCRAPED, "s", "3,4"));
		assertThat(gathered.done()).isCompleted();
		assertThat(gathered.texts()).containsOnlyKeys(2).containsEntry(2, big);
		assertThat(gathered.missed()).isEqualTo(2);
	}

	@Test
	void metricsThatCannotBeReadAreLeftOutAndCountedMissed() {
		GatheredMetrics gathered = new GatheredMetrics();
		gathered.add(Message.of(Message.Type.METRICS, "s", 2, "last", "not base64 at all"));
		gathered.add(Message.of(Message.Type.METRICS, "s", "three", "last", MetricsText.parts("a 1").get(0)));
		gathered.add(Message.of(Message.Type.METRICS, "s", 4, "last", MetricsText.parts("a 1").get(0)));
		gathered.add(Message.of(Message.Type.SCRAPED, "s", ""));
		assertThat(gathered.texts()).containsOnlyKeys(4);
		assertThat(gathered.missed()).isEqualTo(2);
	}

	@Test
	void aScrapeEveryWorkerAnsweredMissesNone() {
		GatheredMetrics gathered = new GatheredMetrics();
		gathered.add(Message.of(Message.Type.SCRAPED, "s", ""));
		assertThat(gathered.missed()).isZero();
	}

}
