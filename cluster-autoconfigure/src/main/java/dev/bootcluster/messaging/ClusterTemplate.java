package dev.bootcluster.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.bootcluster.channel.Exchange;
import dev.bootcluster.channel.Frame;
import dev.bootcluster.channel.MessageRoutes;
import org.jspecify.annotations.Nullable;

/**
 * Sends messages to other workers of this cluster, through the primary: to one worker by
 * id, or to every other worker. Payloads are {@code String}, {@code byte[]} or anything
 * the application's {@code JsonMapper} writes, at most {@code cluster.messaging.max-size}
 * bytes. Messages from one worker to another arrive in the order sent. Every future
 * completes: with the receiver's answer, or exceptionally if the receiver is gone,
 * unknown, not ready (starting, draining), fails, or does not answer within the
 * exchange's timeout.
 * <p>
 * Threads: any thread; the futures complete on the exchange's reader thread, so chain
 * blocking work with an {@code ...Async} method.
 */
public final class ClusterTemplate {

	private final Supplier<Exchange> exchange;

	private final PayloadCodec codec;

	private final long maxSize;

	ClusterTemplate(Supplier<Exchange> exchange, PayloadCodec codec, long maxSize) {
		this.exchange = exchange;
		this.codec = codec;
		this.maxSize = maxSize;
	}

	/**
	 * Sends {@code payload} to worker {@code workerId}; completes once it was handled.
	 */
	public CompletableFuture<Void> send(int workerId, String topic, @Nullable Object payload) {
		return request(workerId, topic, payload, Void.class).thenApply((reply) -> null);
	}

	/**
	 * Sends {@code payload} to every other ready worker of the cluster; completes with
	 * how many it went to, once each has it queued (not handled).
	 */
	public CompletableFuture<Integer> broadcast(String topic, @Nullable Object payload) {
		return exchange(MessageRoutes.ALL_OTHERS, topic, payload)
			.thenApply((answer) -> Integer.parseInt(answer.header(0)));
	}

	/**
	 * Asks worker {@code workerId}: completes with what its {@link ClusterListener}
	 * returned, converted to {@code replyType} ({@code null} if it returned nothing).
	 */
	public <T> CompletableFuture<@Nullable T> request(int workerId, String topic, @Nullable Object payload,
			Class<T> replyType) {
		return exchange(Integer.toString(workerId), topic, payload)
			.thenApply((answer) -> this.codec.decode(answer.payload(), replyType));
	}

	private CompletableFuture<Frame> exchange(String to, String topic, @Nullable Object payload) {
		byte[] bytes;
		try {
			bytes = this.codec.encode(payload);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		if (bytes.length > this.maxSize) {
			return CompletableFuture
				.failedFuture(new IllegalArgumentException("A message of " + bytes.length + " bytes on topic '" + topic
						+ "' is over cluster.messaging.max-size (" + this.maxSize + " bytes)"));
		}
		try {
			return this.exchange.get().request(MessageRoutes.SERVICE, List.of(to, topic), bytes);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
