package dev.bootcluster.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers talking through the primary, in the sample with 3 workers: a request to worker
 * 2 answered by worker 2, a broadcast seen by the two other workers, a
 * {@code @ClusterEvent} published once in each worker (never echoed to its publisher), a
 * cached greeting updated in one worker and served new by every worker right after, and a
 * request to a worker killed with {@code kill -9} failing.
 */
class MessagingIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path greetings;

	@Test
	void workersAskBroadcastAndPublishEventsToEachOther() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(3)
			.property("sample.greetings.directory", this.greetings.toString())
			.start("messaging")) {
			int port = cluster.awaitReady(3);

			Http.Response ask = post(port, "/ask/2?name=ada");
			assertThat(ask.status()).as("POST /ask/2: " + ask.body()).isEqualTo(200);
			assertThat(ask.<String>json("$.reply")).isEqualTo("hello ada from worker 2");

			Http.Response broadcast = post(port, "/broadcast?text=n1");
			assertThat(broadcast.status()).as("POST /broadcast: " + broadcast.body()).isEqualTo(200);
			assertThat(broadcast.<Integer>json("$.sentTo")).isEqualTo(2);
			String broadcaster = broadcast.json("$.worker");
			Map<String, List<String>> news = awaitEveryWorker(port, "news",
					(worker, received) -> worker.equals(broadcaster) || !received.isEmpty());
			news.forEach((worker, received) -> assertThat(received).as("news received by worker " + worker)
				.isEqualTo(worker.equals(broadcaster) ? List.of() : List.of("n1")));

			Http.Response announce = post(port, "/announce?text=a1");
			assertThat(announce.status()).as("POST /announce: " + announce.body()).isEqualTo(200);
			awaitEveryWorker(port, "announcements", (worker, received) -> !received.isEmpty());
			// A second sweep: each worker still saw it exactly once, the publisher
			// included.
			awaitEveryWorker(port, "announcements", (worker, received) -> true)
				.forEach((worker, received) -> assertThat(received).as("announcements seen by worker " + worker)
					.containsExactly("a1"));

			aCachedGreetingUpdatedInOneWorkerIsNewInEveryWorker(port);

			long killed = cluster.workerPid(3);
			ClusterProcess.signal(killed, "KILL");
			await("worker 3 gone").atMost(TIMEOUT).until(() -> !ClusterProcess.isAlive(killed));
			// Its replacement takes seconds to boot: this asks before it can connect.
			Http.Response toKilled = post(port, "/ask/3?name=ada");
			assertThat(toKilled.status()).as("POST /ask/3 once worker 3 was killed: " + toKilled.body()).isEqualTo(503);
			assertThat(toKilled.<String>json("$.error")).contains("worker 3");
		}
	}

	/**
	 * Every worker caches the greeting; one updates it ({@code @CachePut}); as soon as
	 * that returns, each worker answers the new greeting, never its cached old one.
	 */
	private static void aCachedGreetingUpdatedInOneWorkerIsNewInEveryWorker(int port) throws Exception {
		everyWorkerAnswers(port, "hello ada");
		Http.Response update = post(port, "/greeting/cached?name=ada&word=hi");
		assertThat(update.status()).as("POST /greeting/cached: " + update.body()).isEqualTo(200);
		assertThat(update.<String>json("$.greeting")).isEqualTo("hi ada");
		everyWorkerAnswers(port, "hi ada");
	}

	/** {@code GET /greeting/cached?name=ada} until each of the 3 workers answered it. */
	private static void everyWorkerAnswers(int port, String greeting) {
		Set<String> workers = new HashSet<>();
		await("every worker's '" + greeting + "'").atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
			Http.Response cached = Http.get(port, "/greeting/cached?name=ada");
			assertThat(cached.status()).as("GET /greeting/cached: " + cached.body()).isEqualTo(200);
			String worker = cached.json("$.worker");
			assertThat(cached.<String>json("$.greeting")).as("worker " + worker + "'s greeting").isEqualTo(greeting);
			workers.add(worker);
			return workers.size() == 3;
		});
	}

	private static Http.Response post(int port, String path) throws Exception {
		return Http.request(port, "POST", path, "");
	}

	/**
	 * {@code GET /received} until each of the 3 workers answered with {@code list}
	 * accepted by {@code done}.
	 */
	private static Map<String, List<String>> awaitEveryWorker(int port, String list, Done done) {
		Map<String, List<String>> byWorker = new HashMap<>();
		await("every worker's " + list).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
			Http.Response received = Http.get(port, "/received");
			String worker = received.json("$.worker");
			List<String> values = received.json("$." + list);
			if (done.accepts(worker, values)) {
				byWorker.put(worker, values);
			}
			return byWorker.size() == 3;
		});
		return byWorker;
	}

	@FunctionalInterface
	private interface Done {

		boolean accepts(String worker, List<String> received);

	}

}
