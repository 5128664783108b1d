package dev.bootcluster.primary;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.channel.ExchangeService;
import dev.bootcluster.channel.Frame;
import dev.bootcluster.channel.FrameConnection;
import dev.bootcluster.channel.MalformedFrameException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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
 * Threads: one thread of its own owns the {@link SessionStore}; connection readers queue
 * requests for it (at most {@value #MAX_QUEUED} wait: a full queue blocks the reader,
 * which pushes back on that worker).
 */
public final class SessionService implements ExchangeService {

	private static final Log logger = LogFactory.getLog(SessionService.class);

	/** The service's name on the exchange. */
	public static final String NAME = "sessions";

	static final int MAX_QUEUED = 1024;

	private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);

	private final SessionStore store;

	private final long maxBytes;

	private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(MAX_QUEUED);

	private boolean evictionLogged;

	SessionService(SessionStore store, long maxBytes) {
		this.store = store;
		this.maxBytes = maxBytes;
	}

	/** A service keeping at most {@code maxBytes} of sessions, on a thread of its own. */
	public static SessionService start(long maxBytes) {
		SessionService service = new SessionService(new SessionStore(maxBytes, Ticker.SYSTEM), maxBytes);
		Thread thread = new Thread(service::run, "cluster-sessions");
		thread.setDaemon(true);
		thread.start();
		return service;
	}

	@Override
	public void receive(Frame request, FrameConnection from) throws InterruptedException {
		this.queue.put(() -> from.reply(answer(request)));
	}

	private void run() {
		long nextExpiry = System.nanoTime() + EXPIRY_INTERVAL.toNanos();
		while (true) {
			try {
				Runnable task = this.queue.poll(EXPIRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
				if (task != null) {
					task.run();
				}
				if (System.nanoTime() - nextExpiry >= 0) {
					this.store.expire();
					nextExpiry = System.nanoTime() + EXPIRY_INTERVAL.toNanos();
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("The session store failed a request", ex);
			}
		}
	}

	/** What the store answers to {@code request}; a failure for one it cannot read. */
	Frame answer(Frame request) {
		try {
			String operation = request.header(0);
			switch (operation) {
				case "GET" -> {
					byte[] data = this.store.get(request.header(1));
					return (data != null) ? request.reply(List.of("found"), data)
							: request.reply(List.of("missing"), new byte[0]);
				}
				case "SAVE" -> {
					String previous = request.header(3);
					if (!this.store.save(request.header(1), previous.isEmpty() ? null : previous,
							Duration.ofSeconds(Long.parseLong(request.header(2))), request.payload())) {
						return request.failure("a session of " + request.payload().length
								+ " bytes is larger than cluster.sessions.max-memory (" + this.maxBytes + " bytes)");
					}
					logFirstEviction();
					return request.reply(List.of("saved"), new byte[0]);
				}
				case "DELETE" -> {
					this.store.delete(request.header(1));
					return request.reply(List.of("deleted"), new byte[0]);
				}
				case "STATS" -> {
					return request.reply(
							List.of(Integer.toString(this.store.count()), Long.toString(this.store.bytes()),
									Long.toString(this.store.evictions()), Long.toString(this.store.expirations())),
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

	/** An operator must know that logins are being dropped: said once. */
	private void logFirstEviction() {
		if (!this.evictionLogged && this.store.evictions() > 0) {
			this.evictionLogged = true;
			logger.warn("Sessions fill cluster.sessions.max-memory (" + this.maxBytes
					+ " bytes): the least recently used are evicted, and their users logged out (said once)");
		}
	}

}
