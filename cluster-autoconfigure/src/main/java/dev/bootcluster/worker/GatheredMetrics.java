package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.MetricsText;

/**
 * The other workers' metrics for one cluster-wide scrape, as the primary relays them:
 * {@link Message.Type#METRICS} parts by worker, then {@link Message.Type#SCRAPED}, which
 * names the workers that did not answer in time. A worker whose last part has not come,
 * or whose parts cannot be read, is left out.
 * <p>
 * Threads: filled by the channel's watcher thread, read by the thread that waits on
 * {@link #done()}.
 */
public final class GatheredMetrics {

	private final Map<Integer, List<String>> parts = new LinkedHashMap<>();

	private final Map<Integer, String> texts = new LinkedHashMap<>();

	private final CompletableFuture<GatheredMetrics> done = new CompletableFuture<>();

	private int missed;

	/** Workers whose metrics came but could not be read. */
	private int unreadable;

	synchronized void add(Message message) {
		if (message.type() == Message.Type.SCRAPED) {
			String ids = message.field(1);
			this.missed = ids.isEmpty() ? 0 : ids.split(",").length;
			this.done.complete(this);
			return;
		}
		try {
			int worker = message.intField(1);
			List<String> received = this.parts.computeIfAbsent(worker, (id) -> new ArrayList<>());
			received.add(message.field(3));
			if ("last".equals(message.field(2))) {
				this.texts.put(worker, MetricsText.text(this.parts.remove(worker)));
			}
		}
		catch (RuntimeException ex) {
			// Left out, like a worker that did not answer: the watcher thread must go on.
			this.unreadable++;
		}
	}

	CompletableFuture<GatheredMetrics> done() {
		return this.done;
	}

	/** Each worker's scrape text, by worker id, in the order they came. */
	public synchronized Map<Integer, String> texts() {
		return new LinkedHashMap<>(this.texts);
	}

	/** How many workers did not answer in time, or not readably. */
	public synchronized int missed() {
		return this.missed + this.unreadable;
	}

}
