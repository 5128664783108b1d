package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The headline: three rolling reloads under keep-alive load, every worker replaced each
 * time, and not one failed request. The load runs until the reloads have ended, however
 * long they take.
 */
class RollingReloadIT {

	/** A slow, busy machine boots a worker in 45 s; a reload boots two, under load. */
	private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);

	@Test
	void threeReloadsUnderKeepAliveLoadFailNoRequest() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("rolling-reload")) {
			int port = cluster.awaitReady(2);
			Set<Long> seen = new HashSet<>(cluster.state().pids("READY"));
			// Two slow requests are always in flight, so some are whenever a worker
			// drains.
			try (KeepAliveLoad load = KeepAliveLoad.start(port, 16, "/");
					Load slow1 = Load.start(port, "/slow?ms=1500");
					Load slow2 = Load.start(port, "/slow?ms=1500")) {
				await("keep-alive load under way").atMost(Duration.ofSeconds(60)).until(() -> load.succeeded() > 500);
				for (int reload = 1; reload <= 3; reload++) {
					Http.Response accepted = Http.postAsAdmin(port, "/actuator/cluster/reload");
					assertThat(accepted.status()).isEqualTo(202);
					String id = "reload-" + reload;
					assertThat(accepted.<String>json("$.reload")).isEqualTo(id);
					ClusterState.Reload ended = cluster.awaitReloadEnd(id, RELOAD_TIMEOUT);
					assertThat(ended.state()).as(id).isEqualTo("SUCCEEDED");
					assertThat(ended.progress()).isEqualTo("2/2 replaced");
					int generation = reload + 1;
					ClusterState state = cluster.awaitState(
							"the workers of generation " + generation + " serving alone",
							(now) -> now.workers().stream().allMatch((worker) -> worker.generation() == generation),
							Duration.ofSeconds(60));
					assertThat(state.states()).as("after " + id).containsExactly("1:READY", "2:READY");
					Set<Long> workers = state.pids("READY");
					assertThat(workers).as("new workers after " + id).hasSize(2).doesNotContainAnyElementsOf(seen);
					seen.addAll(workers);
					load.drainPids();
					await("the load reaching both new workers").atMost(Duration.ofSeconds(60))
						.until(() -> load.drainPids().containsAll(workers));
				}
				load.close();
				slow1.close();
				slow2.close();
				assertThat(load.failures()).as("failed requests under load").isEmpty();
				assertThat(load.succeeded()).isGreaterThan(1000);
				List<Load.Result> slowResults = new ArrayList<>(slow1.results());
				slowResults.addAll(slow2.results());
				assertThat(slowResults).as("slow requests").hasSizeGreaterThan(10).allMatch(Load.Result::ok);
			}
			ClusterState state = cluster.state();
			assertThat(state.reload()).get()
				.extracting(ClusterState.Reload::id, ClusterState.Reload::state, ClusterState.Reload::progress)
				.containsExactly("reload-3", "SUCCEEDED", "2/2 replaced");
			assertThat(state.workers()).extracting(ClusterState.Worker::generation).containsExactly(4, 4);
		}
	}

}
