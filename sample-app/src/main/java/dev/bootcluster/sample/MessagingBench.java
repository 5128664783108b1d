package dev.bootcluster.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.messaging.ClusterListener;
import dev.bootcluster.messaging.ClusterTemplate;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What {@code bench/messaging.sh} measures, from inside a worker (only with
 * {@code sample.bench.enabled=true}): {@code GET /bench/ask} times request/reply round
 * trips to another worker (worker 1 asks 2, the others ask 1), {@code GET /bench/http}
 * plain HTTP GETs to the cluster's own port on one keep-alive connection,
 * {@code GET /bench/broadcast} how many broadcasts per second reach the other workers.
 * Each runs on the request's thread, one call at a time.
 */
@RestController
@ConditionalOnProperty(name = "sample.bench.enabled", havingValue = "true")
class MessagingBench {

	private final ClusterTemplate template;

	private final int worker;

	MessagingBench(ClusterTemplate template, @Value("${cluster.worker.id}") int worker) {
		this.template = template;
		this.worker = worker;
	}

	/** Asks worker 2 if this is worker 1, else worker 1. */
	@GetMapping("/bench/ask")
	Map<String, Object> ask(@RequestParam int count) throws Exception {
		int other = (this.worker == 1) ? 2 : 1;
		return timed(count,
				() -> this.template.request(other, "bench-echo", "ping", String.class).get(5, TimeUnit.SECONDS));
	}

	@ClusterListener("bench-echo")
	String echo(String payload) {
		return payload;
	}

	@GetMapping("/bench/http")
	Map<String, Object> http(@RequestParam int port, @RequestParam int count) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
			.timeout(Duration.ofSeconds(5))
			.build();
		return timed(count, () -> {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("HTTP " + response.statusCode());
			}
		});
	}

	@GetMapping("/bench/broadcast")
	Map<String, Object> broadcast(@RequestParam int count) throws Exception {
		long started = System.nanoTime();
		for (int i = 0; i < count; i++) {
			this.template.broadcast("bench-news", "news");
		}
		// Per receiver, messages from one sender are handled in order: once this one is,
		// every broadcast before it was.
		ClusterTemplate.Acknowledgements last = this.template
			.broadcastAndWait("bench-news", "last", Duration.ofSeconds(30))
			.get(60, TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - started) / 1e9;
		return Map.of("broadcasts", count, "receivers", last.receivers(), "notHandled", last.notHandled(), "perSecond",
				Math.round(count / seconds));
	}

	@ClusterListener("bench-news")
	void news(String text) {
		// received: what is measured is the delivery
	}

	/**
	 * Runs {@code call} a fifth of {@code count} times to warm up, then {@code count}
	 * times timed.
	 */
	private static Map<String, Object> timed(int count, Call call) throws Exception {
		for (int i = 0; i < count / 5; i++) {
			call.run();
		}
		long[] micros = new long[count];
		long started = System.nanoTime();
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			call.run();
			micros[i] = (System.nanoTime() - start) / 1000;
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		Arrays.sort(micros);
		return Map.of("count", count, "p50Micros", micros[count / 2], "p99Micros", micros[(int) (count * 0.99)],
				"perSecond", Math.round(count / seconds));
	}

	@FunctionalInterface
	private interface Call {

		void run() throws Exception;

	}

}
