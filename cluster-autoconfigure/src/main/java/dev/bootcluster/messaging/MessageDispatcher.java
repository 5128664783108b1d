package dev.bootcluster.messaging;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.bootcluster.channel.Exchange;
import dev.bootcluster.channel.Frame;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Hands messages from other workers to this worker's listeners, one at a time in the
 * order they came, on a thread of its own: a {@link ClusterEvent} relayed by another
 * worker is published as itself; any other message as a {@link ClusterMessageEvent}
 * first, then to the topic's {@link ClusterListener} methods; answers each with what a
 * listener returned, or with the failure it threw. The queue is bounded
 * ({@value #MAX_QUEUED} messages): when full, the exchange's reader waits, which pushes
 * back on the senders through the primary.
 * <p>
 * Threads: the exchange's reader thread queues; the {@code cluster-messages} thread owns
 * the listeners' calls and the answers.
 */
final class MessageDispatcher implements Exchange.MessageReceiver {

	private static final Log logger = LogFactory.getLog(MessageDispatcher.class);

	static final int MAX_QUEUED = 1024;

	private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(MAX_QUEUED);

	private final ApplicationEventPublisher publisher;

	private final ClusterListeners listeners;

	private final PayloadCodec codec;

	private volatile @Nullable ClusterEventRelay events;

	private final Thread thread = new Thread(this::dispatchLoop, "cluster-messages");

	MessageDispatcher(ApplicationEventPublisher publisher, ClusterListeners listeners, PayloadCodec codec) {
		this.publisher = publisher;
		this.listeners = listeners;
		this.codec = codec;
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Publishes the cluster events that arrive with {@code events}. */
	void relayEvents(ClusterEventRelay events) {
		this.events = events;
	}

	@Override
	public void received(Frame message, Exchange exchange) throws InterruptedException {
		this.queue.put(new Delivery(message, exchange));
	}

	private void dispatchLoop() {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				Delivery delivery = this.queue.take();
				delivery.exchange.answer(handle(delivery.message));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Frame handle(Frame message) {
		String topic = message.header(1);
		try {
			ClusterEventRelay events = this.events;
			if (events != null && events.received(topic, message.payload())) {
				return message.reply(List.of(), new byte[0]);
			}
			this.publisher
				.publishEvent(new ClusterMessageEvent(Integer.parseInt(message.header(0)), topic, message.payload()));
			Object reply = this.listeners.deliver(topic, message.payload(), this.codec);
			return message.reply(List.of(), this.codec.encode(reply));
		}
		catch (Exception ex) {
			logger.warn("A listener of cluster topic '" + topic + "' failed: " + ex, ex);
			return message.failure("worker's listener of topic '" + topic + "' failed: " + ex);
		}
	}

	void destroy() {
		this.thread.interrupt();
	}

	private record Delivery(Frame message, Exchange exchange) {
	}

}
