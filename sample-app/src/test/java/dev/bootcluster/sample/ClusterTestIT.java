package dev.bootcluster.sample;

import java.util.List;

import dev.bootcluster.test.ClusterState;
import dev.bootcluster.test.ClusterTest;
import dev.bootcluster.test.RunningCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample tested as its users would test their app: {@link ClusterTest} starts it from
 * the test class path (its compiled classes, not the jar), and the test kills a worker,
 * sees it restarted, reloads and restarts through {@link RunningCluster}.
 */
@ClusterTest(workers = 2, credentials = "admin:change-me")
class ClusterTestIT {

	@Test
	void startsTheAppFromTheTestClassPathOnARandomPort(RunningCluster cluster) throws Exception {
		List<String> arguments = cluster.process().commandLine();
		assertThat(arguments).contains("-cp", SampleApplication.class.getName()).doesNotContain("-jar");
		assertThat(arguments.get(arguments.indexOf("-cp") + 1)).contains("target/classes")
			.doesNotContain("sample-app.jar");
		assertThat(cluster.port()).isNotEqualTo(8080);
		ClusterState state = cluster.state();
		assertThat(state.ports()).containsExactly(cluster.port());
		assertThat(state.pids("READY")).hasSize(2).contains(Http.get(cluster.port(), "/").pid());
	}

	@Test
	void aKilledWorkerIsRestartedAndAReloadReplacesEveryWorker(RunningCluster cluster) throws Exception {
		long killed = cluster.killWorker(2);
		long restarted = cluster.awaitReplaced(2, killed);
		ClusterState.Worker worker = cluster.state().workers(2).get(0);
		assertThat(worker.pid()).isEqualTo(restarted);
		assertThat(worker.restarts()).isPositive();
		assertThat(worker.lastExit().signal()).isEqualTo("SIGKILL");

		ClusterState.Reload reload = cluster.reload();
		assertThat(reload.state()).isEqualTo("SUCCEEDED");
		assertThat(cluster.state().pids("READY")).hasSize(2).doesNotContain(restarted);

		long first = cluster.state().readyPid(1);
		assertThat(cluster.restart(1).state()).as("a restart over HTTP, as the sample's admin").isEqualTo("SUCCEEDED");
		assertThat(cluster.state().readyPid(1)).isNotIn(first, -1L);
	}

}
