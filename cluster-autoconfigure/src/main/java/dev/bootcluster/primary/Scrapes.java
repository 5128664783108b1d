package dev.bootcluster.primary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.bootcluster.channel.Message;

/**
 * The cluster-wide scrapes in progress: a worker asks for the metrics of the others
 * ({@link Message.Type#SCRAPE}); each other ready worker is asked for its own
 * ({@link Message.Type#COLLECT}); their {@link Message.Type#METRICS} parts are relayed to
 * the asker as they come, and a {@link Message.Type#SCRAPED} ends the scrape when all
 * have answered or at its deadline, naming those that did not. Nothing waits: a stopped
 * worker is only left out.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Scrapes {

	private final Map<String, Scrape> byCollectId = new HashMap<>();

	private long collectIds;

	/**
	 * Starts a scrape for {@code asker}, answering its request {@code requestId}, of
	 * {@code others}, to end at the latest {@code timeout} after {@code now}; each is
	 * asked for what {@code query} names, relayed as is.
	 */
	void start(WorkerProcess asker, String requestId, List<String> query, Duration timeout,
			Collection<WorkerProcess> others, long now) {
		Scrape scrape = new Scrape(asker, requestId, now + timeout.toNanos(), new LinkedHashSet<>(others));
		if (scrape.waiting.isEmpty()) {
			scrape.end();
			return;
		}
		String collectId = Long.toString(++this.collectIds);
		this.byCollectId.put(collectId, scrape);
		List<String> fields = new ArrayList<>();
		fields.add(collectId);
		fields.addAll(query);
		Message collect = Message.of(Message.Type.COLLECT, fields.toArray());
		scrape.waiting.forEach((worker) -> worker.send(collect));
	}

	/**
	 * Relays a part of {@code worker}'s metrics to the worker that asked for them; one
	 * for a scrape that has ended is dropped.
	 */
	void metrics(WorkerProcess worker, Message message) {
		Scrape scrape = this.byCollectId.get(message.field(0));
		if (scrape == null || !scrape.waiting.contains(worker)) {
			return;
		}
		boolean last = "last".equals(message.field(1));
		scrape.asker
			.send(Message.of(Message.Type.METRICS, scrape.requestId, worker.id(), message.field(1), message.field(2)));
		if (last) {
			scrape.waiting.remove(worker);
			if (scrape.waiting.isEmpty()) {
				this.byCollectId.remove(message.field(0));
				scrape.end();
			}
		}
	}

	/** Ends every scrape past its deadline, without the workers that did not answer. */
	void expire(long now) {
		for (Iterator<Scrape> scrapes = this.byCollectId.values().iterator(); scrapes.hasNext();) {
			Scrape scrape = scrapes.next();
			if (now - scrape.deadline >= 0) {
				scrapes.remove();
				scrape.end();
			}
		}
	}

	/** The earlier of {@code next} and the time until the next deadline. */
	long nanosUntilNext(long now, long next) {
		for (Scrape scrape : this.byCollectId.values()) {
			next = Math.min(next, Math.max(0, scrape.deadline - now));
		}
		return next;
	}

	private record Scrape(WorkerProcess asker, String requestId, long deadline, Set<WorkerProcess> waiting) {

		void end() {
			this.asker.send(Message.of(Message.Type.SCRAPED, this.requestId,
					this.waiting.stream()
						.map((worker) -> Integer.toString(worker.id()))
						.collect(Collectors.joining(","))));
		}

	}

}
