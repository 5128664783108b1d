package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker's end of the exchange ({@link ExchangeServer}): requests to the primary's
 * services, each answered or failed within {@code timeout}, never lost silently. Sending
 * waits for room in the connection's bounded queue, up to the same timeout.
 * <p>
 * Threads: any thread may {@link #request}; the connection's reader thread completes the
 * answers; timeouts complete on the JDK's delayer thread.
 */
public final class Exchange implements Closeable {

	private static final Log logger = LogFactory.getLog(Exchange.class);

	private final FrameConnection connection;

	private final Duration timeout;

	private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();

	private final AtomicLong correlations = new AtomicLong();

	private Exchange(FrameConnection connection, Duration timeout) {
		this.connection = connection;
		this.timeout = timeout;
	}

	/**
	 * Connects to the exchange at {@code socket} and says HELLO; requests may follow at
	 * once (the primary answers them after the HELLO, or refuses them all).
	 * @param pid this worker's pid, which its launch token was issued for
	 */
	public static Exchange connect(Path socket, int workerId, long pid, String token, Duration timeout)
			throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			channel.connect(UnixDomainSocketAddress.of(socket));
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		Exchange exchange = new Exchange(new FrameConnection(channel, "cluster-exchange"), timeout);
		exchange.connection.peer("the primary");
		exchange.connection.start(exchange.new Answers());
		exchange.send(new Frame(Frame.Kind.HELLO, exchange.correlations.getAndIncrement(), "",
				List.of(Integer.toString(ExchangeServer.PROTOCOL_VERSION), Integer.toString(workerId),
						Long.toString(pid), token),
				new byte[0]))
			.whenComplete((reply, failure) -> {
				if (failure != null) {
					logger.warn("The primary refused this worker's exchange connection: " + failure.getMessage());
				}
			});
		return exchange;
	}

	/**
	 * Asks {@code service} in the primary; the future fails with an
	 * {@link ExchangeException}.
	 */
	public CompletableFuture<Frame> request(String service, List<String> headers, byte[] payload) {
		return send(Frame.request(this.correlations.getAndIncrement(), service, headers, payload));
	}

	private CompletableFuture<Frame> send(Frame frame) {
		CompletableFuture<Frame> answer = new CompletableFuture<>();
		this.pending.put(frame.correlation(), answer);
		answer.whenComplete((reply, failure) -> this.pending.remove(frame.correlation()));
		if (!this.connection.send(frame, this.timeout)) {
			answer.completeExceptionally(new ExchangeException(this.connection.closed().isDone()
					? "The exchange connection to the primary is closed" : "The exchange to the primary is full"));
			return answer;
		}
		CompletableFuture.delayedExecutor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.execute(() -> answer.completeExceptionally(new ExchangeException("The primary did not answer a "
					+ frame.service() + " request within " + this.timeout.toMillis() + " ms")));
		return answer;
	}

	@Override
	public void close() {
		this.connection.close();
	}

	/** Completes the requests with what the primary answers. */
	private final class Answers implements FrameConnection.Receiver {

		@Override
		public void received(Frame frame, FrameConnection connection) {
			CompletableFuture<Frame> answer = Exchange.this.pending.remove(frame.correlation());
			if (answer == null) {
				// answered after its timeout
				return;
			}
			if (frame.kind() == Frame.Kind.REPLY) {
				answer.complete(frame);
			}
			else if (frame.kind() == Frame.Kind.FAILURE) {
				answer.completeExceptionally(new ExchangeException(frame.header(0)));
			}
			else {
				throw new MalformedFrameException("a " + frame.kind() + " frame from the primary");
			}
		}

		@Override
		public void closed(FrameConnection connection) {
			ExchangeException closed = new ExchangeException("The exchange connection to the primary is closed");
			Exchange.this.pending.values().forEach((answer) -> answer.completeExceptionally(closed));
		}

	}

}
