package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy that changes the cluster's own settings: the reload applies the new jar's
 * {@code cluster.*} properties (read from its first new worker) and names those only a
 * restart of the primary applies; a jar with an invalid one fails the reload and changes
 * nothing. One cluster, whose endpoint is on a management port of its own, so that
 * polling it counts no request towards {@code cluster.worker.max-requests}.
 */
class ReloadSettingsIT {

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	@TempDir
	Path temp;

	@Test
	void aReloadAppliesTheNewJarsSettingsAndAnInvalidOneChangesNothing() throws Exception {
		Path app = SampleJars.withProperties(this.temp.resolve("app.jar"), "cluster.workers=2");
		Path next = SampleJars.withProperties(this.temp.resolve("next.jar"), "cluster.workers=3",
				"cluster.worker.max-requests=20", "cluster.scheduling-policy=least-connections");
		Path invalid = SampleJars.withProperties(this.temp.resolve("invalid.jar"), "cluster.workers=three");
		try (ClusterProcess cluster = ClusterCommand.jar(app)
			.property("management.server.port", "0")
			.start("reload-settings")) {
			int port = cluster.awaitReady(2);
			deploy(next, app, cluster);
			ClusterState.Reload reload = cluster.awaitReloadEnd("reload-1", TIMEOUT);
			assertThat(reload.state()).isEqualTo("SUCCEEDED");
			assertThat(reload.progress()).isEqualTo("2/2 replaced");
			ClusterState applied = cluster.awaitState("3 workers ready",
					(state) -> state.states().equals(List.of("1:READY", "2:READY", "3:READY")), TIMEOUT);
			assertThat(applied.desiredWorkers()).isEqualTo(3);
			assertThat(applied.schedulingPolicy()).as("kept until a restart").isEqualTo("round-robin");
			assertThat(applied.<List<String>>read("$.restartPending")).containsExactly("cluster.scheduling-policy");
			assertThat(cluster.output()).contains("applies the new version's settings: cluster.workers '2' -> '3'")
				.containsPattern("WARN .*the new version changes cluster.scheduling-policy, which needs a restart"
						+ " of the primary");
			Set<Long> serving = applied.pids("READY");
			long reporter = applied.readyPid(1);

			deploy(invalid, app, cluster);
			ClusterState.Reload refused = cluster.awaitReloadEnd("reload-2", TIMEOUT);
			assertThat(refused.state()).isEqualTo("FAILED");
			assertThat(refused.progress()).isEqualTo("0/3 replaced");
			assertThat(refused.failure()).contains("Property 'cluster.workers' is 'three', which is not allowed");
			ClusterState after = cluster.awaitState("the refused worker gone", (state) -> state.workers().size() == 3,
					TIMEOUT);
			assertThat(after.states()).containsExactly("1:READY", "2:READY", "3:READY");
			assertThat(after.pids("READY")).as("the same workers").isEqualTo(serving);
			assertThat(after.desiredWorkers()).isEqualTo(3);
			assertThat(after.<List<String>>read("$.restartPending")).containsExactly("cluster.scheduling-policy");

			// Recycling still applies: even to the worker that reported the settings,
			// started before they applied, which got its limit from the primary.
			requestUntilServed(port, reporter, 20);
			cluster.awaitLine("Recycling Worker 1 \\(pid " + reporter
					+ "\\): served 20 requests \\(cluster.worker.max-requests\\)", TIMEOUT);
		}
	}

	/**
	 * Sends requests, one at a time, until the worker with {@code pid} has served
	 * {@code count}.
	 */
	private static void requestUntilServed(int port, long pid, int count) throws Exception {
		Instant deadline = Instant.now().plus(TIMEOUT);
		int served = 0;
		while (served < count) {
			assertThat(Instant.now()).as(count + " requests served by pid " + pid + " by then").isBefore(deadline);
			Http.Response response = Http.get(port, "/");
			assertThat(response.status()).isEqualTo(200);
			if (response.pid() == pid) {
				served++;
			}
		}
	}

	/**
	 * What a deploy script does: move the new jar in place atomically, then ask for a
	 * reload.
	 */
	private static void deploy(Path version, Path app, ClusterProcess cluster) throws Exception {
		Files.move(version, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		assertThat(Http.postAsAdmin(cluster.statusPort(), "/actuator/cluster/reload").status()).isEqualTo(202);
	}

}
