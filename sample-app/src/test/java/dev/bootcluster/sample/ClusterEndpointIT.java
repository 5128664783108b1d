package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code /actuator/cluster} and its neighbours, through the sample's own security: what
 * an operator sees and may do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndpointIT {

	private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);

	static ClusterProcess cluster;

	static int port;

	/** The workers as first started. */
	static Set<Long> first;

	@BeforeAll
	static void startCluster() throws IOException {
		cluster = Sample.command()
			.workers(2)
			.property("management.endpoints.web.exposure.include", "health,info,cluster,metrics")
			.start("cluster-endpoint");
		port = cluster.awaitReady(2);
		first = cluster.state().pids("READY");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void showsEveryWorkerAndItsState() throws IOException {
		Http.Response response = Http.get(port, "/actuator/cluster");
		assertThat(response.status()).isEqualTo(200);
		ClusterState state = ClusterState.parse(response.body());
		assertThat(state.primaryPid()).isEqualTo(cluster.pid());
		assertThat(state.schedulingPolicy()).isEqualTo("round-robin");
		assertThat(state.ports()).containsExactly(port);
		assertThat(state.desiredWorkers()).isEqualTo(2);
		assertThat(state.workers())
			.extracting(ClusterState.Worker::id, ClusterState.Worker::state, ClusterState.Worker::generation,
					ClusterState.Worker::restarts)
			.containsExactly(tuple(1, "READY", 1, 0), tuple(2, "READY", 1, 0));
		assertThat(state.pids("READY")).as("the workers started")
			.isEqualTo(Set.copyOf(cluster.workerPids()))
			.allMatch(ClusterProcess::isAlive)
			.doesNotContain(cluster.pid());
	}

	@Test
	@Order(1)
	void showsEachWorkersHeapAndMemoryAndLeavesAUserSizedHeapAlone() throws IOException {
		for (long pid : first) {
			// The test's JVMs run with -Xmx256m: the cluster adds no heap option of its
			// own.
			assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))).contains("-Xmx256m")
				.doesNotContain("MaxRAMPercentage");
		}
		ClusterState state = cluster.awaitState("heap and memory reported by both workers",
				(now) -> now.workers()
					.stream()
					.allMatch((worker) -> worker.heapUsed() > 0 && worker.residentMemory() > 0),
				Duration.ofSeconds(60));
		// -Xmx256m less a survivor space, as Runtime.maxMemory() reports it
		assertThat(state.workers()).hasSize(2)
			.allSatisfy((worker) -> assertThat(worker.heapMax()).isBetween(200_000_000L, 256L * 1024 * 1024));
	}

	@Test
	@Order(2)
	void anAnonymousReloadIsRefusedBySpringSecurity() throws IOException {
		assertThat(Http.request(port, "POST", "/actuator/cluster/reload", "").status()).isEqualTo(401);
		assertThat(cluster.state().reload()).as("reloads").isEmpty();
	}

	@Test
	@Order(3)
	void unknownWorkersAndOperationsAre404() throws IOException {
		Http.Response unknown = Http.postAsAdmin(port, "/actuator/cluster/workers/7/restart");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.<String>json("$.message")).contains("No worker 7").contains("1 to 2");
		assertThat(Http.postAsAdmin(port, "/actuator/cluster/explode").status()).isEqualTo(404);
	}

	@Test
	@Order(4)
	void restartingOneWorkerReplacesOnlyItAndASecondRequestMeanwhileIs409() throws IOException {
		ClusterState before = cluster.state();
		Http.Response accepted = Http.postAsAdmin(port, "/actuator/cluster/workers/2/restart");
		assertThat(accepted.status()).isEqualTo(202);
		assertThat(accepted.<String>json("$.reload")).isEqualTo("reload-1");
		Http.Response conflict = Http.postAsAdmin(port, "/actuator/cluster/reload");
		assertThat(conflict.status()).isEqualTo(409);
		assertThat(conflict.<String>json("$.reload")).isEqualTo("reload-1");
		ClusterState.Reload reload = cluster.awaitReloadEnd("reload-1", RELOAD_TIMEOUT);
		assertThat(reload).isEqualTo(
				new ClusterState.Reload("reload-1", "restart of worker 2", "SUCCEEDED", "1/1 replaced", 1, 1, null));
		ClusterState after = cluster.awaitState("only the replacement in slot 2",
				(state) -> state.workers().size() == 2, Duration.ofSeconds(60));
		assertThat(after.workers(1)).singleElement()
			.satisfies((worker) -> assertThat(worker)
				.extracting(ClusterState.Worker::pid, ClusterState.Worker::state, ClusterState.Worker::generation)
				.containsExactly(before.readyPid(1), "READY", 1));
		assertThat(after.workers(2)).singleElement()
			.satisfies((worker) -> assertThat(worker)
				.extracting(ClusterState.Worker::state, ClusterState.Worker::generation)
				.containsExactly("READY", 2));
		assertThat(after.readyPid(2)).isNotEqualTo(before.readyPid(2));
	}

	@Test
	@Order(5)
	void sighupReloadsEveryWorker() throws Exception {
		Set<Long> before = cluster.state().pids("READY");
		ClusterProcess.signal(cluster.pid(), "HUP");
		ClusterState.Reload reload = cluster.awaitReloadEnd("reload-2", RELOAD_TIMEOUT);
		assertThat(reload)
			.extracting(ClusterState.Reload::trigger, ClusterState.Reload::state, ClusterState.Reload::progress)
			.containsExactly("SIGHUP", "SUCCEEDED", "2/2 replaced");
		ClusterState after = cluster.awaitState("the new workers alone", (state) -> state.workers().size() == 2,
				Duration.ofSeconds(60));
		assertThat(after.states()).containsExactly("1:READY", "2:READY");
		assertThat(after.pids("READY")).doesNotContainAnyElementsOf(before);
	}

	@Test
	@Order(6)
	void healthAndMetricsDescribeTheCluster() throws IOException {
		Http.Response health = Http.get(port, "/actuator/health");
		assertThat(health.<String>json("$.components.cluster.status")).isEqualTo("UP");
		assertThat(metric("cluster.workers?tag=state:READY")).isEqualTo(2.0);
		assertThat(metric("cluster.reloads?tag=outcome:succeeded")).isEqualTo(2.0);
		assertThat(Http.get(port, "/actuator/metrics/cluster.worker.restarts").status()).isEqualTo(200);
		assertThat(metric("cluster.connections.active")).as("at least the connection asking")
			.isGreaterThanOrEqualTo(1.0);
	}

	private static double metric(String name) throws IOException {
		Http.Response response = Http.get(port, "/actuator/metrics/" + name);
		assertThat(response.status()).as(name).isEqualTo(200);
		// a gauge's VALUE or a counter's COUNT
		List<Number> values = response.json("$.measurements[*].value");
		assertThat(values).as(name).hasSize(1);
		return values.get(0).doubleValue();
	}

}
