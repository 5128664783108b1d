package dev.bootcluster.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.MetricsText;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Answers the primary's {@link Message.Type#COLLECT}: asks the answer registered for the
 * collect's kind ({@link #PROMETHEUS} when it names none) with the collect's argument,
 * and sends the text as {@link Message.Type#METRICS} parts. A kind with no answer is not
 * answered, and the primary counts this worker missed.
 * <p>
 * Threads: answers are registered by any thread; the channel's watcher thread hands each
 * collect to one daemon thread of its own, which asks and sends: the watcher never waits
 * on a scrape.
 */
final class MetricsCollector {

	private static final Log logger = LogFactory.getLog(MetricsCollector.class);

	/** The kind of a collect that names none: the Prometheus scrape text. */
	static final String PROMETHEUS = "prometheus";

	private final Map<String, Function<String, String>> answers = new ConcurrentHashMap<>();

	private final Consumer<Message> channel;

	private final ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
		Thread collector = new Thread(task, "cluster-metrics-collect");
		collector.setDaemon(true);
		return collector;
	});

	MetricsCollector(Consumer<Message> channel) {
		this.channel = channel;
	}

	/** Answers the collects of {@code kind} with what {@code answer} gives. */
	void answer(String kind, Function<String, String> answer) {
		this.answers.putIfAbsent(kind, answer);
	}

	/** Answers a {@link Message.Type#COLLECT}. */
	void collect(Message collect) {
		String collectId = collect.field(0);
		List<String> query = collect.fields();
		Function<String, String> answer = this.answers.get((query.size() > 1) ? query.get(1) : PROMETHEUS);
		if (answer == null) {
			return;
		}
		String argument = (query.size() > 2) ? query.get(2) : "";
		try {
			this.thread.execute(() -> send(collectId, () -> answer.apply(argument)));
		}
		catch (RejectedExecutionException ex) {
			// not answered: the primary counts this worker missed
		}
	}

	private void send(String collectId, Supplier<String> answer) {
		String text;
		try {
			text = answer.get();
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
