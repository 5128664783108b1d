package dev.bootcluster.sample;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.scheduling-policy} on real workers (Tomcat): round-robin is covered by
 * ClusterRuntimeIT; here the three others.
 */
class SchedulingPoliciesIT {

	@Test
	void sourceIpSendsOneClientToOneWorker() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("policy-source-ip", "--cluster.workers=2",
				"--cluster.scheduling-policy=source-ip")) {
			int port = cluster.awaitReady(2);
			Set<Long> pids = new HashSet<>();
			for (int i = 0; i < 20; i++) {
				pids.add(Http.get(port, "/").pid());
			}
			assertThat(pids).hasSize(1);
			assertThat(cluster.workerPids()).containsAll(pids);
		}
	}

	@Test
	void leastConnectionsAvoidsTheBusyWorker() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("policy-least-connections", "--cluster.workers=2",
				"--cluster.scheduling-policy=least-connections")) {
			int port = cluster.awaitReady(2);
			CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> {
				try {
					return Http.get(port, "/slow?ms=3000");
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			String started = cluster.awaitLine("Slow request started", Duration.ofSeconds(10));
			long busy = Long.parseLong(started.replaceAll(".* INFO (\\d+) ---.*", "$1"));
			for (int i = 0; i < 10; i++) {
				assertThat(Http.get(port, "/").pid()).isNotEqualTo(busy);
			}
			assertThat(slow.get(30, TimeUnit.SECONDS).pid()).isEqualTo(busy);
		}
	}

	@Test
	void osASecondClusterOnAPortAlreadyServedFailsAtStartAndTheFirstServesOn() throws Exception {
		try (ClusterProcess first = ClusterProcess.sample("policy-os-first", "--cluster.workers=1",
				"--cluster.scheduling-policy=os")) {
			int port = first.awaitReady(1);
			long servedBy = Http.get(port, "/").pid();
			try (ClusterProcess second = ClusterProcess.sample("policy-os-second", "--cluster.workers=1",
					"--cluster.scheduling-policy=os", "--server.port=" + port)) {
				assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
				assertThat(second.output()).contains("APPLICATION FAILED TO START")
					.contains("port " + port + " was already in use")
					.contains("pid " + first.pid());
				assertThat(second.workerPids()).isEmpty();
			}
			for (int i = 0; i < 10; i++) {
				assertThat(Http.get(port, "/").pid()).isEqualTo(servedBy);
			}
		}
	}

	@Test
	void osLetsTheKernelSpreadConnectionsWithThePrimaryOffTheDataPath() throws Exception {
		try (ClusterProcess cluster = ClusterProcess.sample("policy-os", "--cluster.workers=2",
				"--cluster.scheduling-policy=os")) {
			int port = cluster.awaitReady(2);
			assertThat(cluster.output()).contains("Tomcat started on port " + port + " (http)");
			Set<Long> pids = new HashSet<>();
			for (int i = 0; i < 40; i++) {
				pids.add(Http.get(port, "/").pid());
			}
			assertThat(pids).containsExactlyInAnyOrderElementsOf(cluster.workerPids());
			Http.Response status = Http.get(port, "/actuator/cluster");
			assertThat(status.body()).contains("\"schedulingPolicy\":\"os\"")
				.doesNotContainPattern("\"totalConnections\":[1-9]");

			long victim = cluster.workerPids().get(0);
			ProcessHandle.of(victim).orElseThrow().destroyForcibly();
			await().atMost(Duration.ofSeconds(60)).until(() -> cluster.countLines("ready in") == 3);
			long replacement = cluster.workerPids().get(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(port, "/").pid() == replacement);
			List<Long> alive = List.of(cluster.workerPids().get(1), replacement);
			for (int i = 0; i < 20; i++) {
				assertThat(alive).contains(Http.get(port, "/").pid());
			}
		}
	}

}
