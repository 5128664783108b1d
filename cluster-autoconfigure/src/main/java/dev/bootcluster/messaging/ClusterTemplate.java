package dev.bootcluster.messaging;

import java.time.Duration;
import java.util.Arrays;
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
		return exchange(List.of(MessageRoutes.ALL_OTHERS, topic), payload)
			.thenApply((answer) -> Integer.parseInt(answer.header(0)));
	}

	/**
	 * Sends {@code payload} to every other ready worker of the cluster; completes once
	 * each has handled it (its listeners returned), or once {@code wait} is over, with
	 * the workers that failed or were late. {@code wait} must be shorter than the
	 * exchange's timeout (5 s), else the future fails first.
	 */
	public CompletableFuture<Acknowledgements> broadcastAndWait(String topic, @Nullable Object payload, Duration wait) {
		return exchange(List.of(MessageRoutes.ALL_OTHERS, topic, Long.toString(wait.toMillis())), payload)
			.thenApply(ClusterTemplate::acknowledgements);
	}

	private static Acknowledgements acknowledgements(Frame answer) {
		// a primary older than this worker answers a broadcast at once, with no second
		// header: nobody is known to be late
		String notHandled = (answer.headers().size() > 1) ? answer.header(1) : "";
		List<Integer> late = notHandled.isEmpty() ? List.of()
				: Arrays.stream(notHandled.split(",")).map(Integer::valueOf).toList();
		return new Acknowledgements(Integer.parseInt(answer.header(0)), late);
	}

	/**
	 * Asks worker {@code workerId}: completes with what its {@link ClusterListener}
	 * returned, converted to {@code replyType} ({@code null} if it returned nothing).
	 */
	public <T> CompletableFuture<@Nullable T> request(int workerId, String topic, @Nullable Object payload,
			Class<T> replyType) {
		return exchange(List.of(Integer.toString(workerId), topic), payload)
			.thenApply((answer) -> this.codec.decode(answer.payload(), replyType));
	}

	/** The receiver and the topic, then what the primary's router needs besides. */
	private CompletableFuture<Frame> exchange(List<String> headers, @Nullable Object payload) {
		String topic = headers.get(1);
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
			return this.exchange.get().request(MessageRoutes.SERVICE, headers, bytes);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * What became of a {@linkplain #broadcastAndWait broadcast that waits}.
	 *
	 * @param receivers how many workers it went to
	 * @param notHandled the ids of those whose listener failed or did not return in time
	 */
	public record Acknowledgements(int receivers, List<Integer> notHandled) {

	}

}
