package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
			Instant started = Instant.now();
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
			Map<Integer, Long> reloaded = Map.of(1, applied.readyPid(1), 2, applied.readyPid(2), 3,
					applied.readyPid(3));
			// The worker that reported the settings was started before they applied:
			// it got its limit from the primary, the others from their launch.
			requestUntilRecycled(cluster, port, reloaded);
			ClusterState recycled = cluster.awaitState("recycled workers ready",
					(state) -> state.states().equals(List.of("1:READY", "2:READY", "3:READY"))
							&& reloaded.values().stream().noneMatch(state.pids("READY")::contains),
					TIMEOUT);
			System.out.println("Applied and recycled in " + Duration.between(started, Instant.now()).toSeconds()
					+ " s after the first reload");

			Set<Long> serving = recycled.pids("READY");
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
			assertThat(Http.get(port, "/").status()).isEqualTo(200);
		}
	}

	/**
	 * Sends requests, one at a time, until each of {@code workers} (pids by slot) has
	 * served 20, then waits until the primary has recycled each one for it.
	 */
	private static void requestUntilRecycled(ClusterProcess cluster, int port, Map<Integer, Long> workers)
			throws Exception {
		Map<Long, Integer> served = new HashMap<>();
		Instant deadline = Instant.now().plus(TIMEOUT);
		while (!workers.values().stream().allMatch((pid) -> served.getOrDefault(pid, 0) >= 20)) {
			assertThat(Instant.now()).as("20 requests served by each worker by then").isBefore(deadline);
			Http.Response response = Http.get(port, "/");
			assertThat(response.status()).isEqualTo(200);
			served.merge(response.pid(), 1, Integer::sum);
		}
		workers.forEach((id, pid) -> cluster.awaitLine("Recycling Worker " + id + " \\(pid " + pid
				+ "\\): served 20 requests \\(cluster.worker.max-requests\\)", TIMEOUT));
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
