package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/cluster} and its neighbours, through the sample's own security: what
 * an operator sees and may do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndpointIT {

	static ClusterProcess cluster;

	static int port;

	@BeforeAll
	static void startCluster() throws IOException {
		cluster = ClusterProcess.sample("cluster-endpoint", "--cluster.workers=2",
				"--management.endpoints.web.exposure.include=health,info,cluster,metrics");
		port = cluster.awaitReady(2);
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
		assertThat(response.body()).contains("\"primaryPid\":" + cluster.pid())
			.contains("\"schedulingPolicy\":\"round-robin\"")
			.contains("\"ports\":[" + port + "]")
			.contains("\"desiredWorkers\":2");
		for (long pid : cluster.workerPids()) {
			assertThat(response.body()).containsPattern("\"pid\":" + pid + ",\"state\":\"READY\",\"generation\":1");
		}
	}

	@Test
	@Order(1)
	void showsEachWorkersHeapAndMemoryAndLeavesAUserSizedHeapAlone() throws IOException {
		for (long pid : cluster.workerPids()) {
			// The test's JVMs run with -Xmx256m: the cluster adds no heap option of its own.
			assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))).contains("-Xmx256m")
				.doesNotContain("MaxRAMPercentage");
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Http.get(port, "/actuator/cluster").body())
			.containsPattern("\"heapUsed\":[1-9]\\d*,\"heapMax\":2\\d{8},\"residentMemory\":[1-9]"));
	}

	@Test
	@Order(2)
	void anAnonymousReloadIsRefusedBySpringSecurity() throws IOException {
		assertThat(Http.request(port, "POST", "/actuator/cluster/reload", "").status()).isEqualTo(401);
		assertThat(cluster.output()).doesNotContain("Reload reload-");
	}

	@Test
	@Order(3)
	void unknownWorkersAndOperationsAre404() throws IOException {
		Http.Response unknown = Http.postAsAdmin(port, "/actuator/cluster/workers/7/restart");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body()).contains("No worker 7: worker ids are 1 to 2");
		assertThat(Http.postAsAdmin(port, "/actuator/cluster/explode").status()).isEqualTo(404);
	}

	@Test
	@Order(4)
	void restartingOneWorkerReplacesOnlyItAndASecondRequestMeanwhileIs409() throws IOException {
		List<Long> before = cluster.workerPids();
		Http.Response accepted = Http.postAsAdmin(port, "/actuator/cluster/workers/2/restart");
		assertThat(accepted.status()).isEqualTo(202);
		assertThat(accepted.body()).contains("\"reload\":\"reload-1\"");
		Http.Response conflict = Http.postAsAdmin(port, "/actuator/cluster/reload");
		assertThat(conflict.status()).isEqualTo(409);
		assertThat(conflict.body()).contains("\"reload\":\"reload-1\"").contains("is still running");
		cluster.awaitLine("Reload reload-1 \\(restart of worker 2\\) finished: 1/1 replaced", Duration.ofSeconds(60));
		List<Long> after = cluster.workerPids();
		assertThat(after).hasSize(3).startsWith(before.get(0), before.get(1));
		Http.Response status = Http.get(port, "/actuator/cluster");
		assertThat(status.body()).containsPattern("\"pid\":" + before.get(0) + ",\"state\":\"READY\"")
			.containsPattern("\"pid\":" + after.get(2) + ",\"state\":\"READY\",\"generation\":2");
	}

	@Test
	@Order(5)
	void sighupReloadsEveryWorker() throws Exception {
		new ProcessBuilder("kill", "-HUP", Long.toString(cluster.pid())).start().waitFor();
		cluster.awaitLine("Reload reload-2 \\(SIGHUP\\) finished: 2/2 replaced", Duration.ofSeconds(60));
		assertThat(cluster.workerPids()).hasSize(5);
	}

	@Test
	@Order(6)
	void healthAndMetricsDescribeTheCluster() throws IOException {
		Http.Response health = Http.get(port, "/actuator/health");
		assertThat(health.body()).contains("\"cluster\":{\"status\":\"UP\"");
		assertThat(Http.get(port, "/actuator/metrics/cluster.workers?tag=state:READY").body())
			.contains("\"value\":2.0");
		assertThat(Http.get(port, "/actuator/metrics/cluster.reloads?tag=outcome:succeeded").body())
			.contains("\"value\":2.0");
		assertThat(Http.get(port, "/actuator/metrics/cluster.worker.restarts").status()).isEqualTo(200);
		// at least the connection asking
		assertThat(Http.get(port, "/actuator/metrics/cluster.connections.active").body()).containsPattern("\"value\":[1-9]");
	}

}
