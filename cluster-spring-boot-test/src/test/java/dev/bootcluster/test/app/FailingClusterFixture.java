package dev.bootcluster.test.app;

import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.test.ClusterTest;
import dev.bootcluster.test.RunningCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test that fails on purpose, run only by {@link ClusterExtensionIT} (through the JUnit
 * launcher, with {@link #ENABLED} set): it notes the primary's and its worker's pids, for
 * the IT to see them gone after it.
 */
@ClusterTest(workers = 1)
@EnabledIfSystemProperty(named = FailingClusterFixture.ENABLED, matches = "true")
class FailingClusterFixture {

	static final String ENABLED = "cluster.test.failing-fixture";

	/** The primary's pid, then its worker's. */
	static final List<Long> pids = new ArrayList<>();

	@Test
	void theTestFails(RunningCluster cluster) {
		pids.clear();
		pids.add(cluster.process().pid());
		pids.addAll(cluster.process().readyPids());
		assertThat(cluster.port()).isNegative();
	}

}
