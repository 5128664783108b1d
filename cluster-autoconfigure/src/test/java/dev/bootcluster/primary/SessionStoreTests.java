package dev.bootcluster.primary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.channel.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SessionStore} and the {@link SessionService}'s answers, with a fake clock:
 * bounded memory with least-recently-used eviction, expiry by each session's own
 * interval, and the old id dropped when a login changes it.
 */
class SessionStoreTests {

	private long now;

	private final Ticker ticker = () -> this.now;

	@Test
	void aSessionIsKeptAsItsBytes() {
		SessionStore store = new SessionStore(1024 * 1024, this.ticker);
		assertThat(store.get("a")).isNull();
		assertThat(store.save("a", null, Duration.ofMinutes(30), new byte[] { 1, 2, 3 })).isTrue();
		assertThat(store.get("a")).containsExactly(1, 2, 3);
		assertThat(store.count()).isEqualTo(1);
		assertThat(store.bytes()).isEqualTo(SessionStore.ENTRY_OVERHEAD + 2 + 3);
		store.delete("a");
		assertThat(store.get("a")).isNull();
		assertThat(store.count()).isZero();
		assertThat(store.bytes()).isZero();
	}

	@Test
	void aNewIdReplacesTheOldOne() {
		SessionStore store = new SessionStore(1024 * 1024, this.ticker);
		store.save("before-login", null, Duration.ofMinutes(30), new byte[10]);
		store.save("after-login", "before-login", Duration.ofMinutes(30), new byte[20]);
		assertThat(store.get("before-login")).isNull();
		assertThat(store.get("after-login")).hasSize(20);
		assertThat(store.count()).isEqualTo(1);
		assertThat(store.bytes()).isEqualTo(SessionStore.ENTRY_OVERHEAD + 2 * "after-login".length() + 20);
	}

	@Test
	void theLeastRecentlyUsedAreEvictedToStayWithinTheBound() {
		long each = SessionStore.ENTRY_OVERHEAD + 2 + 100;
		SessionStore store = new SessionStore(3 * each, this.ticker);
		store.save("a", null, Duration.ofMinutes(30), new byte[100]);
		store.save("b", null, Duration.ofMinutes(30), new byte[100]);
		store.save("c", null, Duration.ofMinutes(30), new byte[100]);
		// 'a' is read: 'b' is now the least recently used.
		assertThat(store.get("a")).isNotNull();
		store.save("d", null, Duration.ofMinutes(30), new byte[100]);
		assertThat(store.get("b")).isNull();
		assertThat(store.get("a")).isNotNull();
		assertThat(store.get("c")).isNotNull();
		assertThat(store.get("d")).isNotNull();
		assertThat(store.evictions()).isEqualTo(1);
		assertThat(store.bytes()).isEqualTo(3 * each);
	}

	@Test
	void aSessionLargerThanTheBoundIsRefused() {
		SessionStore store = new SessionStore(1000, this.ticker);
		store.save("a", null, Duration.ofMinutes(30), new byte[10]);
		assertThat(store.save("huge", null, Duration.ofMinutes(30), new byte[1000])).isFalse();
		assertThat(store.get("huge")).isNull();
		assertThat(store.get("a")).as("others are not evicted for a session that cannot fit").isNotNull();
	}

	@Test
	void aSessionExpiresAfterItsOwnMaxInactiveInterval() {
		SessionStore store = new SessionStore(1024 * 1024, this.ticker);
		store.save("short", null, Duration.ofSeconds(10), new byte[1]);
		store.save("long", null, Duration.ofMinutes(30), new byte[1]);
		store.save("forever", null, Duration.ofSeconds(-1), new byte[1]);
		advance(Duration.ofSeconds(9));
		assertThat(store.get("short")).as("read within its interval").isNotNull();
		advance(Duration.ofSeconds(9));
		assertThat(store.get("short")).as("each read starts the interval again").isNotNull();
		advance(Duration.ofSeconds(10));
		assertThat(store.get("short")).isNull();
		assertThat(store.expirations()).isEqualTo(1);
		advance(Duration.ofMinutes(30));
		store.expire();
		assertThat(store.count()).as("'long' expired by the sweep, 'forever' kept").isEqualTo(1);
		assertThat(store.get("forever")).isNotNull();
		assertThat(store.expirations()).isEqualTo(2);
		assertThat(store.bytes()).isEqualTo(SessionStore.ENTRY_OVERHEAD + 2 * "forever".length() + 1);
	}

	@Test
	void theServiceAnswersGetSaveDeleteAndStats() {
		SessionService service = new SessionService(new SessionStore(1024 * 1024, this.ticker), 1024 * 1024);
		assertThat(service.answer(request("GET", "a")).headers()).containsExactly("missing");
		assertThat(service.answer(request(new byte[] { 9 }, "SAVE", "a", "1800", "")).headers())
			.containsExactly("saved");
		Frame found = service.answer(request("GET", "a"));
		assertThat(found.headers()).containsExactly("found");
		assertThat(found.payload()).containsExactly(9);
		assertThat(service.answer(request(new byte[] { 8 }, "SAVE", "b", "1800", "a")).headers())
			.containsExactly("saved");
		assertThat(service.answer(request("GET", "a")).headers()).containsExactly("missing");
		assertThat(service.answer(request("STATS")).headers()).startsWith("1");
		assertThat(service.answer(request("DELETE", "b")).headers()).containsExactly("deleted");
		assertThat(service.answer(request("STATS")).headers()).containsExactly("0", "0", "0", "0");
	}

	@Test
	void theServiceAnswersFromManyConnectionsAtOnceAndKeepsItsAccounts() throws Exception {
		SessionService service = new SessionService(new SessionStore(1024 * 1024, this.ticker), 1024 * 1024);
		int threads = 8;
		int sessions = 500;
		ExecutorService readers = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> all = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String prefix = "t" + t + "-";
				all.add(readers.submit(() -> {
					for (int i = 0; i < sessions; i++) {
						String id = prefix + i;
						assertThat(service.answer(request(new byte[] { 1, 2 }, "SAVE", id, "1800", "")).headers())
							.containsExactly("saved");
						assertThat(service.answer(request("GET", id)).payload()).containsExactly(1, 2);
						if (i % 2 == 0) {
							service.answer(request("DELETE", id));
						}
					}
				}));
			}
			for (Future<?> each : all) {
				each.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			readers.shutdownNow();
		}
		int left = threads * sessions / 2;
		long bytes = 0;
		for (int t = 0; t < threads; t++) {
			for (int i = 1; i < sessions; i += 2) {
				bytes += SessionStore.ENTRY_OVERHEAD + 2L * ("t" + t + "-" + i).length() + 2;
			}
		}
		assertThat(service.answer(request("STATS")).headers()).containsExactly(Integer.toString(left),
				Long.toString(bytes), "0", "0");
	}

	@Test
	void theServiceFailsRequestsItCannotRead() {
		SessionService service = new SessionService(new SessionStore(1024, this.ticker), 1024);
		assertThat(service.answer(request("GET")).kind()).isEqualTo(Frame.Kind.FAILURE);
		assertThat(service.answer(request("SAVE", "a", "soon", "")).header(0)).contains("malformed");
		assertThat(service.answer(request("FLY")).header(0)).contains("no operation 'FLY'");
		assertThat(service.answer(request(new byte[2000], "SAVE", "a", "1800", "")).header(0))
			.contains("larger than cluster.sessions.max-memory");
	}

	private static Frame request(String... headers) {
		return request(new byte[0], headers);
	}

	private static Frame request(byte[] payload, String... headers) {
		return Frame.request(1, SessionService.NAME, List.of(headers), payload);
	}

	private void advance(Duration duration) {
		this.now += duration.toNanos();
	}

}
