package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The headline: three rolling reloads under keep-alive load, every worker replaced each
 * time, and not one failed request.
 */
class RollingReloadIT {

	@Test
	void threeReloadsUnderKeepAliveLoadFailNoRequest() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("rolling-reload", "--cluster.workers=2")) {
			int port = cluster.awaitReady(2);
			List<CompletableFuture<Http.Response>> slowRequests = new ArrayList<>();
			List<Set<Long>> generations = new ArrayList<>();
			long started = System.nanoTime();
			try (KeepAliveLoad load = KeepAliveLoad.start(port, 16, "/", Duration.ofSeconds(90))) {
				await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 500);
				generations.add(Set.copyOf(cluster.workerPids()));
				for (int reload = 1; reload <= 3; reload++) {
					for (int i = 0; i < 2; i++) {
						slowRequests.add(CompletableFuture.supplyAsync(() -> get(port, "/slow?ms=1500")));
					}
					long slowStarted = cluster.countLines("Slow request started");
					await().atMost(Duration.ofSeconds(10))
						.until(() -> cluster.countLines("Slow request started") >= slowStarted + 2);
					Http.Response accepted = Http.postAsAdmin(port, "/actuator/cluster/reload");
					assertThat(accepted.status()).isEqualTo(202);
					String id = "reload-" + reload;
					assertThat(accepted.body()).contains("\"reload\":\"" + id + "\"");
					cluster.awaitLine("Reload " + id + " .* finished: 2/2 replaced", Duration.ofSeconds(90));
					Set<Long> workers = new HashSet<>(cluster.workerPids());
					generations.forEach(workers::removeAll);
					assertThat(workers).as("new workers after " + id).hasSize(2);
					generations.add(workers);
					load.drainPids();
					await().atMost(Duration.ofSeconds(10)).until(() -> load.drainPids().containsAll(workers));
				}
				await().atMost(Duration.ofSeconds(60)).until(() -> System.nanoTime() - started > Duration.ofSeconds(20).toNanos());
				assertThat(load.failures()).as("failed requests under load").isEmpty();
				assertThat(load.succeeded()).isGreaterThan(1000);
			}
			for (CompletableFuture<Http.Response> slow : slowRequests) {
				assertThat(slow.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
			Http.Response status = Http.get(port, "/actuator/cluster");
			assertThat(status.body()).contains("\"id\":\"reload-3\"").contains("\"state\":\"SUCCEEDED\"")
				.contains("\"progress\":\"2/2 replaced\"").contains("\"generation\":4");
		}
	}

	private static Http.Response get(int port, String path) {
		try {
			return Http.get(port, path);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
