package dev.bootcluster.worker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import dev.bootcluster.channel.Exchange;
import dev.bootcluster.channel.ExchangeException;
import dev.bootcluster.channel.Frame;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.session.MapSession;

/**
 * Sessions kept by the primary, as seen from a worker: each {@link PrimarySession}
 * travels as bytes over the {@link Exchange} to the primary's {@code sessions} service,
 * with its id and max inactive interval as headers (the primary expires sessions by it
 * and never reads the bytes). Attributes are Java-serialised, as Spring Session JDBC
 * does, and read back with the application's class loader.
 * <p>
 * Threads: any request thread; stateless but for the exchange.
 */
public final class PrimarySessions {

	private static final Log logger = LogFactory.getLog(PrimarySessions.class);

	private static final String SERVICE = "sessions";

	private final Supplier<Exchange> exchange;

	private final ClassLoader classLoader;

	private final Duration maxInactiveInterval;

	/**
	 * @param exchange the exchange to the primary, connected when first asked for
	 * @param classLoader the application's, for the attributes' classes
	 * @param maxInactiveInterval for new sessions, as
	 * {@code server.servlet.session.timeout}
	 */
	public PrimarySessions(Supplier<Exchange> exchange, ClassLoader classLoader, Duration maxInactiveInterval) {
		this.exchange = exchange;
		this.classLoader = classLoader;
		this.maxInactiveInterval = maxInactiveInterval;
	}

	/** A new session, not yet saved. */
	public PrimarySession create() {
		MapSession session = new MapSession();
		session.setMaxInactiveInterval(this.maxInactiveInterval);
		return new PrimarySession(session, null, null);
	}

	/**
	 * Saves {@code session}, instead of the id the primary knew it by if that changed; a
	 * session whose bytes and id are what the primary keeps already is not sent again.
	 */
	public CompletableFuture<Void> save(PrimarySession session) {
		byte[] bytes = serialize(session.delegate());
		if (session.keptAs(bytes)) {
			return CompletableFuture.completedFuture(null);
		}
		String keptId = session.keptId();
		String previousId = (keptId != null && !keptId.equals(session.getId())) ? keptId : "";
		return request(List.of("SAVE", session.getId(), Long.toString(session.getMaxInactiveInterval().toSeconds()),
				previousId), bytes)
			.thenApply((reply) -> {
				session.kept(bytes);
				return null;
			});
	}

	/**
	 * Asks the primary for session {@code id}; {@link #read} the answer on the caller's
	 * thread, not on the exchange's.
	 */
	public CompletableFuture<Frame> fetch(String id) {
		return request(List.of("GET", id), new byte[0]);
	}

	/**
	 * The session in the primary's answer, if it had one: the primary expires sessions,
	 * and counts this read as an access.
	 */
	public Optional<PrimarySession> read(String id, Frame reply) {
		if (!"found".equals(reply.header(0))) {
			return Optional.empty();
		}
		MapSession session = deserialize(id, reply.payload());
		return (session != null) ? Optional.of(new PrimarySession(session, id, reply.payload())) : Optional.empty();
	}

	public CompletableFuture<Void> delete(String id) {
		return request(List.of("DELETE", id), new byte[0]).thenApply((reply) -> null);
	}

	/**
	 * Waits for {@code answer}, for callers that block (servlet requests); the exchange's
	 * own timeout bounds the wait.
	 * @throws ExchangeException if the primary refused or did not answer
	 */
	public static <T> T await(CompletableFuture<T> answer) {
		try {
			return answer.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	private CompletableFuture<Frame> request(List<String> headers, byte[] payload) {
		try {
			return this.exchange.get().request(SERVICE, headers, payload);
		}
		catch (ExchangeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	byte[] serialize(MapSession session) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			// No last access time: the primary keeps it, and this stays the same bytes
			// when a request changed nothing.
			out.writeLong(session.getCreationTime().toEpochMilli());
			out.writeLong(session.getMaxInactiveInterval().toSeconds());
			out.writeInt(session.getAttributeNames().size());
			for (String name : session.getAttributeNames()) {
				out.writeUTF(name);
				out.writeObject(session.getAttribute(name));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("A session attribute could not be serialised to keep it in the cluster's "
					+ "primary (every attribute must be Serializable): " + ex.getMessage(), ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * The session in {@code bytes}, or {@code null} when it cannot be read any more (its
	 * classes changed with a new version of the app): the user then starts a new one.
	 */
	@Nullable MapSession deserialize(String id, byte[] bytes) {
		try (ObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(bytes),
				this.classLoader)) {
			MapSession session = new MapSession(id);
			session.setCreationTime(Instant.ofEpochMilli(in.readLong()));
			session.setLastAccessedTime(Instant.now());
			session.setMaxInactiveInterval(Duration.ofSeconds(in.readLong()));
			int count = in.readInt();
			for (int i = 0; i < count; i++) {
				session.setAttribute(in.readUTF(), in.readObject());
			}
			return session;
		}
		catch (IOException | ClassNotFoundException ex) {
			logger.warn("A session kept by the primary could not be read (" + ex + "); its user gets a new one");
			return null;
		}
	}

}
