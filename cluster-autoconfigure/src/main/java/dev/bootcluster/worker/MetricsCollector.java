package dev.bootcluster.worker;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.MetricsText;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Answers the primary's {@link Message.Type#COLLECT}: scrapes this worker's own registry
 * and sends the text as {@link Message.Type#METRICS} parts.
 * <p>
 * Threads: the channel's watcher thread hands each collect to one daemon thread of its
 * own, which scrapes and sends: the watcher never waits on a scrape.
 */
final class MetricsCollector {

	private static final Log logger = LogFactory.getLog(MetricsCollector.class);

	private final Supplier<String> ownMetrics;

	private final Consumer<Message> channel;

	private final ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
		Thread collector = new Thread(task, "cluster-metrics-collect");
		collector.setDaemon(true);
		return collector;
	});

	MetricsCollector(Supplier<String> ownMetrics, Consumer<Message> channel) {
		this.ownMetrics = ownMetrics;
		this.channel = channel;
	}

	void collect(String collectId) {
		try {
			this.thread.execute(() -> send(collectId));
		}
		catch (RejectedExecutionException ex) {
			// not answered: the primary counts this worker missed
		}
	}

	private void send(String collectId) {
		String text;
		try {
			text = this.ownMetrics.get();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not scrape this worker's metrics for the cluster", ex);
			return;
		}
		List<String> parts = MetricsText.parts(text);
		for (int i = 0; i < parts.size(); i++) {
			this.channel.accept(Message.of(Message.Type.METRICS, collectId, (i < parts.size() - 1) ? "more" : "last",
					parts.get(i)));
		}
	}

}
