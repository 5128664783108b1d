package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that starts shutting down (Boot publishes REFUSING_TRAFFIC) gets no new
 * connection, finishes what it has, and is replaced.
 */
class WorkerReadinessIT {

	@Test
	void aWorkerRefusingTrafficLeavesTheRotationAndFinishesItsRequests() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("worker-readiness", "--cluster.workers=2")) {
			int port = cluster.awaitReady(2);
			long leaving = cluster.workerPids().get(0);
			List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				slow.add(CompletableFuture.supplyAsync(() -> get(port, "/slow?ms=4000")));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> cluster.countLines("Slow request started") == 2);

			ProcessHandle.of(leaving).orElseThrow().destroy(); // SIGTERM: Boot's graceful shutdown begins
			cluster.awaitLine("Worker 1 \\(pid " + leaving + "\\) is refusing traffic; taken out of rotation",
					Duration.ofSeconds(10));
			for (int i = 0; i < 20; i++) {
				Http.Response response = Http.get(port, "/");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.pid()).isNotEqualTo(leaving);
			}
			assertThat(ProcessHandle.of(leaving).map(ProcessHandle::isAlive)).as("still draining").contains(true);

			for (CompletableFuture<Http.Response> response : slow) {
				assertThat(response.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
			cluster.awaitLine("Worker 1 \\(pid " + leaving + "\\) was killed by signal 15 \\(SIGTERM\\); restarting it",
					Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(60)).until(() -> cluster.countLines("ready in") == 3);
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
