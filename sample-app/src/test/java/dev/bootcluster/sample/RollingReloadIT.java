package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
			List<Set<Long>> generations = new ArrayList<>();
			long started = System.nanoTime();
			// Two slow requests are always in flight, so some are whenever a worker drains.
			try (KeepAliveLoad load = KeepAliveLoad.start(port, 16, "/", Duration.ofSeconds(150));
					Load slow1 = Load.start(port, "/slow?ms=1500", Duration.ofSeconds(150));
					Load slow2 = Load.start(port, "/slow?ms=1500", Duration.ofSeconds(150))) {
				await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 500);
				generations.add(Set.copyOf(cluster.workerPids()));
				for (int reload = 1; reload <= 3; reload++) {
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
				load.close();
				slow1.close();
				slow2.close();
				assertThat(load.failures()).as("failed requests under load").isEmpty();
				assertThat(load.succeeded()).isGreaterThan(1000);
				List<Load.Result> slowResults = new ArrayList<>(slow1.results());
				slowResults.addAll(slow2.results());
				assertThat(slowResults).as("slow requests").hasSizeGreaterThan(10).allMatch(Load.Result::ok);
			}
			Http.Response status = Http.get(port, "/actuator/cluster");
			assertThat(status.body()).contains("\"id\":\"reload-3\"").contains("\"state\":\"SUCCEEDED\"")
				.contains("\"progress\":\"2/2 replaced\"").contains("\"generation\":4");
		}
	}

}
