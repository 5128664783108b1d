package dev.bootcluster.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
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
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.scheduling-policy", "source-ip")
			.start("policy-source-ip")) {
			int port = cluster.awaitReady(2);
			Set<Long> pids = new HashSet<>();
			for (int i = 0; i < 20; i++) {
				pids.add(Http.get(port, "/").pid());
			}
			assertThat(pids).hasSize(1);
			assertThat(cluster.state().pids("READY")).containsAll(pids);
		}
	}

	@Test
	void leastConnectionsAvoidsTheBusyWorker() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.scheduling-policy", "least-connections")
			.start("policy-least-connections")) {
			int port = cluster.awaitReady(2);
			CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> get(port, "/slow?ms=3000"));
			// The sample app's own word that the slow request is in a worker now.
			cluster.awaitLine("Slow request started", Duration.ofSeconds(60));
			List<Long> others = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				others.add(Http.get(port, "/").pid());
			}
			Http.Response slowResponse = slow.get(60, TimeUnit.SECONDS);
			assertThat(slowResponse.status()).isEqualTo(200);
			assertThat(others).as("requests while the slow one ran").doesNotContain(slowResponse.pid());
		}
	}

	@Test
	void osASecondClusterOnAPortAlreadyServedFailsAtStartAndTheFirstServesOn() throws Exception {
		try (ClusterProcess first = Sample.command()
			.workers(1)
			.property("cluster.scheduling-policy", "os")
			.start("policy-os-first")) {
			int port = first.awaitReady(1);
			long servedBy = Http.get(port, "/").pid();
			try (ClusterProcess second = Sample.command()
				.workers(1)
				.property("cluster.scheduling-policy", "os")
				.property("server.port", String.valueOf(port))
				.start("policy-os-second")) {
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
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.scheduling-policy", "os")
			.start("policy-os")) {
			int port = cluster.awaitReady(2);
			ClusterState state = cluster.state();
			assertThat(state.schedulingPolicy()).isEqualTo("os");
			for (long worker : state.pids("READY")) {
				assertThat(ClusterProcess.tcpPortsListenedOnBy(worker)).as("ports worker " + worker + " listens on")
					.contains(port);
			}
			assertThat(ClusterProcess.tcpPortsListenedOnBy(cluster.pid())).as("ports the primary listens on")
				.doesNotContain(port);
			Set<Long> pids = new HashSet<>();
			for (int i = 0; i < 40; i++) {
				pids.add(Http.get(port, "/").pid());
			}
			assertThat(pids).isEqualTo(state.pids("READY"));
			assertThat(cluster.state().workers()).as("connections relayed by the primary")
				.allSatisfy((worker) -> assertThat(worker.totalConnections()).isZero());

			long victim = state.readyPid(1);
			ProcessHandle.of(victim).orElseThrow().destroyForcibly();
			long replacement = cluster
				.awaitState("worker 1 replaced", (now) -> now.readyPid(1) > 0 && now.readyPid(1) != victim,
						ClusterProcess.READY_TIMEOUT)
				.readyPid(1);
			await("the replacement serving").atMost(Duration.ofSeconds(60))
				.until(() -> Http.get(port, "/").pid() == replacement);
			List<Long> alive = List.of(state.readyPid(2), replacement);
			for (int i = 0; i < 20; i++) {
				assertThat(alive).contains(Http.get(port, "/").pid());
			}
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
