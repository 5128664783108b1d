package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * {@code cluster.ctl}'s end of the control channel: it shows the primary the control
 * token only the cluster's owner can read, then asks what the endpoint asks (status,
 * reload, restart, scale), one question at a time, each answered within a deadline.
 * <p>
 * Threads: one thread asks and reads; a timer only closes the channel at a deadline.
 */
public final class ControlClient implements Closeable {

	private final Channel channel;

	private final Duration timeout;

	private int requestIds;

	private ControlClient(Channel channel, Duration timeout) {
		this.channel = channel;
		this.timeout = timeout;
	}

	/**
	 * Connects to the cluster in {@code runtime}'s directory.
	 * @throws AccessDeniedException if this user may not read its control token: only its
	 * owner may control a cluster
	 */
	public static ControlClient connect(ClusterRuntime runtime, Duration timeout) throws IOException {
		String token = RuntimeDirectory.controlToken(runtime.directory());
		Channel channel = Channel.connect(runtime.directory().resolve(RuntimeDirectory.CONTROL_SOCKET));
		channel.send(Message.of(Message.Type.CONTROL, Message.PROTOCOL_VERSION, token, ProcessHandle.current().pid()));
		return new ControlClient(channel, timeout);
	}

	/**
	 * Asks {@code type} with a new request id, then {@code fields}, and waits for its
	 * answer ({@link Message.Type#STATUS} or {@link Message.Type#REPLY}).
	 * @throws RefusedException if the primary refuses the client or the request
	 * @throws IOException if the primary does not answer in time, or hangs up
	 */
	public Message ask(Message.Type type, Object... fields) throws IOException {
		String id = Integer.toString(++this.requestIds);
		Object[] all = new Object[fields.length + 1];
		all[0] = id;
		System.arraycopy(fields, 0, all, 1, fields.length);
		this.channel.send(Message.of(type, all));
		AtomicBoolean answered = new AtomicBoolean();
		AtomicBoolean timedOut = new AtomicBoolean();
		CompletableFuture.delayedExecutor(this.timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
			if (!answered.get()) {
				timedOut.set(true);
				this.channel.close();
			}
		});
		try {
			for (Message message = read(timedOut); message != null; message = read(timedOut)) {
				if (message.type() == Message.Type.ERROR) {
					throw new RefusedException(message.field(0));
				}
				if ((message.type() == Message.Type.STATUS || message.type() == Message.Type.REPLY)
						&& message.field(0).equals(id)) {
					return message;
				}
			}
			throw new IOException(
					timedOut.get() ? timeoutMessage() : "The cluster's primary hung up without answering");
		}
		finally {
			answered.set(true);
		}
	}

	private @Nullable Message read(AtomicBoolean timedOut) throws IOException {
		try {
			return this.channel.read();
		}
		catch (IOException ex) {
			if (timedOut.get()) {
				throw new IOException(timeoutMessage());
			}
			throw ex;
		}
	}

	private String timeoutMessage() {
		return "The cluster's primary did not answer within " + this.timeout.toSeconds() + " s";
	}

	@Override
	public void close() {
		this.channel.close();
	}

	/** The primary refused this client or its request, and said why. */
	public static final class RefusedException extends IOException {

		RefusedException(String message) {
			super(message);
		}

	}

}
