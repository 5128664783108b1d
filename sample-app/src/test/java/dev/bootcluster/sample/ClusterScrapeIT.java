package dev.bootcluster.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/prometheus} and {@code /actuator/metrics} on a cluster of three: one
 * scrape or read, whichever worker answers it, covers every worker's meters and the
 * cluster's once; a stopped worker is left out, counted, and does not hold the scrape or
 * read past its deadline. With the {@code source-ip} policy, each client address reaches
 * one worker: the test picks its addresses so as to know which worker answers.
 */
class ClusterScrapeIT {

	private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

	/** What a scrape may take beyond its deadline on a busy machine. */
	private static final Duration MARGIN = Duration.ofSeconds(5);

	@Test
	void oneScrapeCoversEveryWorkerAndAStoppedOneOnlyIsLeftOut() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(3)
			.property("cluster.scheduling-policy", "source-ip")
			.property("management.endpoints.web.exposure.include", "health,cluster,prometheus,metrics")
			.property("cluster.metrics.scrape-timeout", SCRAPE_TIMEOUT.toSeconds() + "s")
			// The stopped worker stays READY (not yet found hung) for the whole test.
			.property("cluster.worker.heartbeat-timeout", "10m")
			.start("scrape")) {
			int port = cluster.awaitReady(3);
			Map<String, Integer> served = new HashMap<>();
			Map<String, InetAddress> clientOf = clientsOfEachWorker(port, served);
			String scrape = Http.getFrom(clientOf.get("1"), port, "/actuator/prometheus").body();
			for (String worker : new String[] { "1", "2", "3" }) {
				assertThat(scrape).containsPattern(requestsServedBy(worker));
			}
			assertThat(count(scrape, "# TYPE http_server_requests_seconds ")).isOne();
			assertEachFamilyOnceAndTogether(scrape);
			String onlyRequests = Http
				.getFrom(clientOf.get("2"), port,
						"/actuator/prometheus?includedNames=http_server_requests_seconds_count")
				.body();
			assertThat(onlyRequests).containsPattern(requestsServedBy("1"))
				.containsPattern(requestsServedBy("3"))
				.doesNotContain("jvm_", "cluster_workers");
			assertThat(count(scrape, "\ncluster_workers{state=\"READY\"} 3.0")).isOne();
			Http.Response root = Http.getFrom(clientOf.get("3"), port,
					"/actuator/metrics/http.server.requests?tag=uri:/");
			assertThat(statistic(root, "COUNT")).isEqualTo(served.values().stream().mapToInt(Integer::intValue).sum());
			assertThat(tagValues(root, "worker")).containsExactlyInAnyOrder("1", "2", "3");
			Http.Response rootOfTwo = Http.getFrom(clientOf.get("1"), port,
					"/actuator/metrics/http.server.requests?tag=uri:/&tag=worker:2");
			assertThat(statistic(rootOfTwo, "COUNT")).isEqualTo(served.get("2"));
			assertThat(Http.getFrom(clientOf.get("1"), port, "/actuator/metrics").<List<String>>json("$.names"))
				.contains("http.server.requests", "cluster.workers");
			assertThat(statistic(
					Http.getFrom(clientOf.get("2"), port, "/actuator/metrics/cluster.workers?tag=state:READY"),
					"VALUE"))
				.isEqualTo(3);
			long stopped = cluster.state().readyPid(3);
			ClusterProcess.signal(stopped, "STOP");
			try {
				long start = System.nanoTime();
				String withoutThree = Http.getFrom(clientOf.get("1"), port, "/actuator/prometheus").body();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				System.out.printf("scrape with worker 3 stopped took %d ms%n", took.toMillis());
				assertThat(took).isLessThan(SCRAPE_TIMEOUT.plus(MARGIN));
				assertThat(withoutThree).containsPattern(requestsServedBy("1"))
					.containsPattern(requestsServedBy("2"))
					.doesNotContainPattern(requestsServedBy("3"));
				start = System.nanoTime();
				Http.Response rootWithoutThree = Http.getFrom(clientOf.get("2"), port,
						"/actuator/metrics/http.server.requests?tag=uri:/");
				took = Duration.ofNanos(System.nanoTime() - start);
				System.out.printf("metrics read with worker 3 stopped took %d ms%n", took.toMillis());
				assertThat(took).isLessThan(SCRAPE_TIMEOUT.plus(MARGIN));
				assertThat(tagValues(rootWithoutThree, "worker")).containsExactlyInAnyOrder("1", "2");
				assertThat(statistic(rootWithoutThree, "COUNT")).isEqualTo(served.get("1") + served.get("2"));
				String next = Http.getFrom(clientOf.get("2"), port, "/actuator/prometheus").body();
				assertThat(next).containsPattern(missedAtLeastOnceBy("1"))
					.containsPattern(missedAtLeastOnceBy("2"))
					.containsPattern(requestsServedBy("2"));
			}
			finally {
				ClusterProcess.signal(stopped, "CONT");
			}
		}
	}

	/**
	 * A client address (127.0.0.N) for each worker, found by asking: each serves its
	 * requests on the way, counted in {@code served} by worker.
	 */
	private static Map<String, InetAddress> clientsOfEachWorker(int port, Map<String, Integer> served)
			throws IOException {
		Map<String, InetAddress> clients = new HashMap<>();
		for (int last = 2; last < 100 && clients.size() < 3; last++) {
			InetAddress client = InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) last });
			String worker = Http.getFrom(client, port, "/").json("$.worker");
			clients.putIfAbsent(worker, client);
			served.merge(worker, 1, Integer::sum);
		}
		assertThat(clients).as("a client address for each worker").containsOnlyKeys("1", "2", "3");
		return clients;
	}

	/**
	 * What Prometheus requires of a text: one TYPE per family, every sample of a family
	 * right after it.
	 */
	private static void assertEachFamilyOnceAndTogether(String scrape) {
		Set<String> families = new HashSet<>();
		String family = null;
		for (String line : scrape.split("\n")) {
			if (line.startsWith("# TYPE ")) {
				family = line.split(" ")[2];
				assertThat(families.add(family)).as("one TYPE for %s", family).isTrue();
			}
			else if (!line.startsWith("#") && !line.isBlank()) {
				assertThat(line).as("a sample of family %s", family).startsWith(family);
			}
		}
		assertThat(families).hasSizeGreaterThan(10);
	}

	/** A statistic of a {@code /actuator/metrics/{name}} answer. */
	private static int statistic(Http.Response metric, String statistic) {
		List<Number> values = metric.json("$.measurements[?(@.statistic == '" + statistic + "')].value");
		assertThat(values).as("%s in %s", statistic, metric.body()).hasSize(1);
		return values.get(0).intValue();
	}

	private static List<String> tagValues(Http.Response metric, String tag) {
		List<List<String>> values = metric.json("$.availableTags[?(@.tag == '" + tag + "')].values");
		assertThat(values).as("tag %s in %s", tag, metric.body()).hasSize(1);
		return values.get(0);
	}

	private static Pattern requestsServedBy(String worker) {
		return Pattern
			.compile("\nhttp_server_requests_seconds_count\\{worker=\"" + worker + "\",[^}]*uri=\"/\"[^}]*} ");
	}

	private static Pattern missedAtLeastOnceBy(String worker) {
		return Pattern.compile("\ncluster_metrics_scrape_missed_total\\{worker=\"" + worker + "\"} [1-9]");
	}

	private static int count(String text, String part) {
		Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
