package dev.bootcluster.messaging;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Relays {@link ClusterEvent} events between workers: broadcasts each one published here,
 * as JSON on the topic {@value #TOPIC_PREFIX} and its class name, and publishes the ones
 * other workers relay, marked so that they are not relayed again.
 * <p>
 * Threads: any publishing thread relays; the {@code cluster-messages} thread publishes
 * what arrives (the mark is that thread's own).
 */
final class ClusterEventRelay {

	private static final Log logger = LogFactory.getLog(ClusterEventRelay.class);

	static final String TOPIC_PREFIX = "cluster-event:";

	private final ThreadLocal<Boolean> fromCluster = ThreadLocal.withInitial(() -> false);

	private final ClusterTemplate template;

	private final PayloadCodec codec;

	private final ApplicationEventPublisher publisher;

	private final @Nullable ClassLoader classLoader;

	ClusterEventRelay(ClusterTemplate template, PayloadCodec codec, ApplicationEventPublisher publisher,
			@Nullable ClassLoader classLoader) {
		this.template = template;
		this.codec = codec;
		this.publisher = publisher;
		this.classLoader = classLoader;
	}

	/** Broadcasts {@code event} if it is for the cluster and was published here. */
	void published(Object event) {
		if (this.fromCluster.get() || !isClusterEvent(event.getClass())) {
			return;
		}
		String topic = TOPIC_PREFIX + event.getClass().getName();
		this.template.broadcast(topic, event).whenComplete((workers, failure) -> {
			if (failure != null) {
				logger.warn("Could not relay " + event.getClass().getSimpleName() + " to the other workers: "
						+ failure.getMessage());
			}
		});
	}

	/**
	 * Publishes the event another worker relayed on {@code topic}.
	 * @return {@code false} if {@code topic} is not a cluster event's
	 */
	boolean received(String topic, byte[] payload) throws ClassNotFoundException {
		if (!topic.startsWith(TOPIC_PREFIX)) {
			return false;
		}
		Class<?> type = ClassUtils.forName(topic.substring(TOPIC_PREFIX.length()), this.classLoader);
		if (!isClusterEvent(type)) {
			throw new IllegalArgumentException(type.getName() + " is not a @ClusterEvent");
		}
		Object event = this.codec.decode(payload, type);
		if (event == null) {
			throw new IllegalArgumentException("an empty " + type.getName());
		}
		this.fromCluster.set(true);
		try {
			this.publisher.publishEvent(event);
		}
		finally {
			this.fromCluster.set(false);
		}
		return true;
	}

	private static boolean isClusterEvent(Class<?> type) {
		return AnnotatedElementUtils.hasAnnotation(type, ClusterEvent.class);
	}

}
