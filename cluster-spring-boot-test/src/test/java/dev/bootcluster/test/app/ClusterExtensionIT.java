package dev.bootcluster.test.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import dev.bootcluster.test.ClusterTest;
import dev.bootcluster.test.RunningCluster;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link ClusterTest} end to end: this class's own app ({@link ClusterTestApplication},
 * found from this package) runs as a real cluster from the test class path.
 */
@ClusterTest(workers = 2, properties = { "management.endpoints.web.exposure.include=health,cluster",
		"management.endpoint.cluster.access=unrestricted" })
class ClusterExtensionIT {

	@Test
	void theAppRunsFromTheTestClassPathAsPrimaryAndWorkers(RunningCluster cluster) throws IOException {
		List<String> arguments = cluster.process().commandLine();
		assertThat(arguments).contains("-cp", ClusterTestApplication.class.getName()).doesNotContain("-jar");
		assertThat(arguments.get(arguments.indexOf("-cp") + 1)).contains("test-classes");
		ClusterState state = cluster.state();
		assertThat(state.ports()).containsExactly(cluster.port());
		assertThat(state.pids("READY")).hasSize(2).doesNotContain(cluster.process().pid());
		Set<Long> answered = new HashSet<>();
		for (int i = 0; i < 6; i++) {
			answered.add(cluster.get("/").<Number>json("$.pid").longValue());
		}
		assertThat(answered).as("round-robin over both workers").isEqualTo(cluster.state().pids("READY"));
		assertThat(cluster.output()).contains("serving port " + cluster.port());
	}

	@Test
	void aKilledWorkerIsReplaced(RunningCluster cluster) throws Exception {
		long killed = cluster.killWorker(1);
		long replacement = cluster.awaitReplaced(1, killed);
		assertThat(ClusterProcess.isAlive(killed)).isFalse();
		assertThat(cluster.state().workers(1)).singleElement()
			.satisfies((worker) -> assertThat(worker.pid()).isEqualTo(replacement))
			.satisfies((worker) -> assertThat(worker.lastExit().signal()).isEqualTo("SIGKILL"));
	}

	@Test
	void reloadReplacesEveryWorker(RunningCluster cluster) throws Exception {
		Set<Long> before = cluster.state().pids("READY");
		ClusterState.Reload reload = cluster.reload();
		assertThat(reload.state()).isEqualTo("SUCCEEDED");
		assertThat(reload.trigger()).contains("SIGHUP");
		assertThat(cluster.state().pids("READY")).hasSize(2).doesNotContainAnyElementsOf(before);
	}

	@Test
	void restartReplacesOneWorker(RunningCluster cluster) throws Exception {
		long first = cluster.state().readyPid(1);
		long second = cluster.state().readyPid(2);
		assertThat(cluster.restart(1).state()).isEqualTo("SUCCEEDED");
		ClusterState state = cluster.state();
		assertThat(state.readyPid(1)).isNotIn(first, -1L);
		assertThat(state.readyPid(2)).isEqualTo(second);
	}

	@Test
	void scalesUpAndBack(RunningCluster cluster) throws Exception {
		assertThat(cluster.scale(3).desiredWorkers()).isEqualTo(3);
		assertThat(cluster.scale(2).pids("READY")).hasSize(2);
	}

	@Test
	void aFailedTestPrintsTheOutputAndEveryProcessIsKilledAfterIt() {
		PrintStream out = System.out;
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		System.setProperty(FailingClusterFixture.ENABLED, "true");
		TestExecutionSummary summary;
		try {
			System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
			SummaryGeneratingListener listener = new SummaryGeneratingListener();
			LauncherFactory.create()
				.execute(LauncherDiscoveryRequestBuilder.request()
					.selectors(selectClass(FailingClusterFixture.class))
					.build(), listener);
			summary = listener.getSummary();
		}
		finally {
			System.setOut(out);
			System.clearProperty(FailingClusterFixture.ENABLED);
		}
		assertThat(summary.getTestsFailedCount()).isOne();
		assertThat(FailingClusterFixture.pids).hasSize(2);
		assertThat(FailingClusterFixture.pids).noneMatch(ClusterProcess::isAlive);
		assertThat(printed.toString(StandardCharsets.UTF_8))
			.contains("theTestFails(RunningCluster) failed; the cluster's output")
			.contains("Worker 1 (pid " + FailingClusterFixture.pids.get(1) + ") ready in");
	}

}
