package dev.bootcluster.primary;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.bootcluster.channel.ExchangeService;
import dev.bootcluster.channel.Frame;
import dev.bootcluster.channel.FrameConnection;
import dev.bootcluster.channel.MalformedFrameException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@value #NAME} service on the exchange: workers' HTTP sessions kept in the primary,
 * so that a login survives round-robin, reloads and a worker's crash. Requests (headers):
 * <ul>
 * <li>{@code GET id} → {@code found} and the bytes, or {@code missing};</li>
 * <li>{@code SAVE id maxInactiveSeconds previousId} with the bytes → {@code saved} (an
 * empty previous id when the id did not change);</li>
 * <li>{@code DELETE id} → {@code deleted};</li>
 * <li>{@code STATS} → the count, the bytes, the evictions and the expirations.</li>
 * </ul>
 * <p>
 * Threads: each connection's reader thread answers its worker's requests itself, and its
 * reply is usually written at once by that thread (no hand-off to another thread, which
 * measured as most of a round trip's cost). The {@link SessionStore} is therefore guarded
 * by a lock, held only for one map operation at a time (the bytes are never copied or
 * read under it); a thread of its own expires idle sessions every {@code EXPIRY_INTERVAL}
 * under the same lock.
 */
public final class SessionService implements ExchangeService {

	private static final Log logger = LogFactory.getLog(SessionService.class);

	/** The service's name on the exchange. */
	public static final String NAME = "sessions";

	private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);

	private final SessionStore store;

	private final long maxBytes;

	private final ReentrantLock lock = new ReentrantLock();

	/** Guarded by {@code lock}. */
	private boolean evictionLogged;

	SessionService(SessionStore store, long maxBytes) {
		this.store = store;
		this.maxBytes = maxBytes;
	}

	/**
	 * A service keeping at most {@code maxBytes} of sessions, expiring them on a thread
	 * of its own.
	 */
	public static SessionService start(long maxBytes) {
		SessionService service = new SessionService(new SessionStore(maxBytes, Ticker.SYSTEM), maxBytes);
		Thread thread = new Thread(service::expireLoop, "cluster-sessions-expiry");
		thread.setDaemon(true);
		thread.start();
		return service;
	}

	@Override
	public void receive(Frame request, FrameConnection from) {
		Frame answer;
		try {
			answer = answer(request);
		}
		catch (RuntimeException ex) {
			logger.warn("The session store failed a request", ex);
			answer = request.failure("the session store failed: " + ex);
		}
		from.reply(answer);
	}

	private void expireLoop() {
		while (true) {
			try {
				Thread.sleep(EXPIRY_INTERVAL.toMillis());
				guarded(this.store::expire);
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("The session store failed to expire sessions", ex);
			}
		}
	}

	/** What the store answers to {@code request}; a failure for one it cannot read. */
	Frame answer(Frame request) {
		try {
			String operation = request.header(0);
			switch (operation) {
				case "GET" -> {
					String id = request.header(1);
					byte[] data = guarded(() -> this.store.get(id));
					return (data != null) ? request.reply(List.of("found"), data)
							: request.reply(List.of("missing"), new byte[0]);
				}
				case "SAVE" -> {
					String id = request.header(1);
					String previous = request.header(3);
					Duration maxInactive = Duration.ofSeconds(Long.parseLong(request.header(2)));
					Saved saved = guarded(
							() -> save(id, previous.isEmpty() ? null : previous, maxInactive, request.payload()));
					if (saved == Saved.TOO_LARGE) {
						return request.failure("a session of " + request.payload().length
								+ " bytes is larger than cluster.sessions.max-memory (" + this.maxBytes + " bytes)");
					}
					if (saved == Saved.FIRST_EVICTION) {
						logger.warn("Sessions fill cluster.sessions.max-memory (" + this.maxBytes
								+ " bytes): the least recently used are evicted, and their users logged out (said once)");
					}
					return request.reply(List.of("saved"), new byte[0]);
				}
				case "DELETE" -> {
					String id = request.header(1);
					guarded(() -> this.store.delete(id));
					return request.reply(List.of("deleted"), new byte[0]);
				}
				case "STATS" -> {
					return request.reply(guarded(
							() -> List.of(Integer.toString(this.store.count()), Long.toString(this.store.bytes()),
									Long.toString(this.store.evictions()), Long.toString(this.store.expirations()))),
							new byte[0]);
				}
				default -> {
					return request.failure("the sessions service has no operation '" + operation + "'");
				}
			}
		}
		catch (MalformedFrameException | NumberFormatException ex) {
			return request.failure("a malformed sessions request: " + ex.getMessage());
		}
	}

	/** Under {@code lock}. */
	private Saved save(String id, @Nullable String previousId, Duration maxInactive, byte[] data) {
		if (!this.store.save(id, previousId, maxInactive, data)) {
			return Saved.TOO_LARGE;
		}
		// An operator must know that logins are being dropped: said once.
		if (!this.evictionLogged && this.store.evictions() > 0) {
			this.evictionLogged = true;
			return Saved.FIRST_EVICTION;
		}
		return Saved.SAVED;
	}

	private <T> T guarded(Supplier<T> operation) {
		this.lock.lock();
		try {
			return operation.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void guarded(Runnable operation) {
		this.lock.lock();
		try {
			operation.run();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** What a save did. */
	private enum Saved {

		SAVED, FIRST_EVICTION, TOO_LARGE

	}

}
