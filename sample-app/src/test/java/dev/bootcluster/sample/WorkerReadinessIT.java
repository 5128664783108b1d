package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
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
		try (ClusterProcess cluster = Sample.command().workers(2).start("worker-readiness")) {
			int port = cluster.awaitReady(2);
			long leaving = cluster.state().readyPid(1);
			List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				slow.add(CompletableFuture.supplyAsync(() -> get(port, "/slow?ms=4000")));
			}
			// The sample app's own word that both slow requests are in workers now.
			await("both slow requests started").atMost(Duration.ofSeconds(60))
				.until(() -> cluster.countLines("Slow request started") == 2);

			ProcessHandle.of(leaving).orElseThrow().destroy(); // SIGTERM: Boot's graceful
																// shutdown begins
			cluster.awaitState("worker 1 out of rotation",
					(state) -> state.workers(1)
						.stream()
						.anyMatch((worker) -> worker.pid() == leaving && !worker.ready()),
					Duration.ofSeconds(60));
			for (int i = 0; i < 20; i++) {
				Http.Response response = Http.get(port, "/");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.pid()).isNotEqualTo(leaving);
			}
			assertThat(ProcessHandle.of(leaving).map(ProcessHandle::isAlive)).as("still draining").contains(true);

			for (CompletableFuture<Http.Response> response : slow) {
				assertThat(response.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
			ClusterState replaced = cluster.awaitState("worker 1 replaced",
					(state) -> state.readyPid(1) > 0 && state.readyPid(1) != leaving, ClusterProcess.READY_TIMEOUT);
			assertThat(replaced.workers(1)).singleElement()
				.satisfies((worker) -> assertThat(worker.lastExit()).as("how the leaving worker ended")
					.isEqualTo(new ClusterState.Exit(143, "SIGTERM")));
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
