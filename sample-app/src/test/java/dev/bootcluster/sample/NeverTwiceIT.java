package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request is never executed twice: orders ({@code POST /orders}, not idempotent) run
 * under load through three reloads, a restart, recycling by request count, an order that
 * outlives the shutdown timeout, and a worker killed with SIGKILL mid-order. Every order
 * a worker started is in the orders file once, and every order the client saw succeed is
 * there exactly once; the two orders whose worker died get 502. A planned retirement
 * (reload, restart, recycle) fails no order at all: the worker is stopped only once the
 * front door has no order in flight on it. The cluster endpoint counts every 502 and
 * response cut short the clients saw.
 */
class NeverTwiceIT {

	private static final int CLIENTS = 4;

	@Test
	void noOrderRunsTwiceWhateverHappensToTheWorkers(@TempDir Path directory) throws Exception {
		Path orders = directory.resolve("orders.txt");
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.worker.shutdown-timeout", "3s")
			.property("cluster.worker.max-requests", "300")
			.property("cluster.worker.max-requests-jitter", "0")
			.property("sample.orders-file", orders.toString())
			.start("never-twice")) {
			int port = cluster.awaitReady(2);
			Map<String, Integer> seen = new ConcurrentHashMap<>();
			Set<String> plannedOnly = ConcurrentHashMap.newKeySet();
			AtomicInteger next = new AtomicInteger();
			ClientThreads load = new ClientThreads();
			try {
				for (int i = 0; i < CLIENTS; i++) {
					load.repeat("orders-" + i, () -> {
						String id = "order-" + next.incrementAndGet();
						seen.put(id, post(port, id, 20));
					}, new ArrayList<>());
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 50);
				// An order longer than the shutdown timeout, on a worker that a reload
				// retires and then kills.
				CompletableFuture<Integer> outlived = order(port, "outlives-shutdown", 600_000);
				long outlivedPid = awaitStarted(orders, "outlives-shutdown");
				for (int reload = 1; reload <= 3; reload++) {
					assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
					cluster.awaitLine("Reload reload-" + reload + " .* finished", Duration.ofSeconds(300));
				}
				assertThat(ClusterProcess.isAlive(outlivedPid)).isFalse();
				assertThat(outlived.get(60, TimeUnit.SECONDS)).as("an order cut by the shutdown timeout")
					.isEqualTo(502);
				long ready = cluster.countLines("ready in");
				assertThat(Http.postAsAdmin(port, "/actuator/cluster/workers/1/restart").status()).isEqualTo(202);
				await().atMost(Duration.ofSeconds(90)).until(() -> cluster.countLines("ready in") > ready);
				// An order whose worker is killed mid-way.
				CompletableFuture<Integer> killed = order(port, "killed-mid-order", 20_000);
				long killedPid = awaitStarted(orders, "killed-mid-order");
				// Orders answered until now saw only planned retirements; those in flight
				// now may die with the worker.
				plannedOnly.addAll(seen.keySet());
				ClusterProcess.signal(killedPid, "KILL");
				assertThat(killed.get(60, TimeUnit.SECONDS)).as("an order whose worker was killed").isEqualTo(502);
				await().atMost(Duration.ofSeconds(60)).until(() -> !ClusterProcess.isAlive(killedPid));
				// Orders sent from now on meet the recycles only.
				int sentBeforeRecycles = next.get();
				await().atMost(Duration.ofSeconds(120))
					.until(() -> cluster.countLines("\\(cluster.worker.max-requests\\)") >= 1);
				int before = seen.size();
				await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() > before + 50);
				seen.keySet()
					.stream()
					.filter((id) -> Integer.parseInt(id.substring("order-".length())) > sentBeforeRecycles)
					.forEach(plannedOnly::add);
			}
			finally {
				load.close();
			}
			List<String> failedByPlannedRetirement = plannedOnly.stream()
				.filter((id) -> seen.get(id) / 100 != 2)
				.map((id) -> id + ": " + seen.get(id))
				.toList();
			assertThat(plannedOnly).hasSizeGreaterThan(100);
			assertThat(failedByPlannedRetirement).as("orders failed by a reload, restart or recycle").isEmpty();
			long failedSeen = seen.values().stream().filter((status) -> status == 502 || status == -1).count() + 2;
			assertThat(cluster.state().failedRequests()).as("502s and responses cut short, as the endpoint counts them")
				.isEqualTo(failedSeen);
			Map<String, Long> started = Files.readAllLines(orders)
				.stream()
				.map((line) -> line.split(" ")[0])
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			assertThat(started).as("orders started more than once")
				.allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1L));
			List<String> succeeded = seen.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() / 100 == 2)
				.map(Map.Entry::getKey)
				.toList();
			assertThat(succeeded).hasSizeGreaterThan(100);
			assertThat(started.keySet()).containsAll(succeeded);
			Map<Integer, Long> statuses = seen.values()
				.stream()
				.collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
			System.out.printf("orders: %d sent, by status %s (-1: no response), %d started%n", seen.size(), statuses,
					started.size());
		}
	}

	private static CompletableFuture<Integer> order(int port, String id, long ms) {
		return CompletableFuture.supplyAsync(() -> post(port, id, ms));
	}

	/** The status of one order, or -1 when the connection closed without one. */
	private static int post(int port, String id, long ms) {
		try {
			return Http.request(port, "POST", "/orders?id=" + id + "&ms=" + ms, "").status();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** Waits until a worker has started this order, and returns that worker's pid. */
	private static long awaitStarted(Path orders, String id) {
		return await().atMost(Duration.ofSeconds(30)).until(() -> {
			if (!Files.exists(orders)) {
				return -1L;
			}
			for (String line : Files.readAllLines(orders)) {
				if (line.startsWith(id + " ")) {
					return Long.parseLong(line.split(" ")[1].trim());
				}
			}
			return -1L;
		}, (pid) -> pid > 0);
	}

}
