package dev.bootcluster.sample;

import java.util.List;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cluster.worker.log-prefix=true}: every line a worker writes reaches the
 * primary's output whole, behind {@code [worker N] }.
 */
class WorkerLogPrefixIT {

	@Test
	void everyWorkerLineIsPrefixedWithItsId() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.worker.log-prefix", "true")
			.start("worker-log-prefix")) {
			cluster.awaitReady(2);
			ClusterState state = cluster.state();
			for (int id = 1; id <= 2; id++) {
				long pid = state.readyPid(id);
				String prefix = "[worker " + id + "] ";
				List<String> lines = cluster.lines()
					.stream()
					.filter((line) -> line.contains(" INFO " + pid + " --- "))
					.toList();
				assertThat(lines).isNotEmpty()
					.allSatisfy((line) -> assertThat(line).startsWith(prefix)
						.matches("\\Q" + prefix + "\\E\\d{4}-\\d\\d-\\d\\dT.*"));
				assertThat(lines).anyMatch((line) -> line.contains("Started SampleApplication"));
			}
			assertThat(cluster.lines()).filteredOn((line) -> line.contains(" INFO " + cluster.pid() + " --- "))
				.isNotEmpty()
				.noneMatch((line) -> line.startsWith("[worker"));
		}
	}

}
