package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deploying a new jar: drop it in place with an atomic move and reload. A version that
 * boots takes over with no failed request; one that cannot boot stops the reload while
 * the old version keeps serving.
 */
class NewVersionIT {

	private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);

	@TempDir
	Path temp;

	@Test
	void aReplacedJarIsPickedUpByTheReloadWithNoFailedRequest() throws Exception {
		Path next = SampleJars.withProperties(this.temp.resolve("next.jar"), "sample.greeting=bonjour");
		try (ClusterProcess cluster = start("new-version");
				KeepAliveLoad load = KeepAliveLoad.start(cluster.awaitReady(2), 16, "/")) {
			int port = cluster.port();
			assertThat(Http.get(port, "/").greeting()).isEqualTo("hello");
			deploy(next, port);
			ClusterState.Reload reload = cluster.awaitReloadEnd("reload-1", RELOAD_TIMEOUT);
			assertThat(reload.state()).isEqualTo("SUCCEEDED");
			assertThat(reload.progress()).isEqualTo("2/2 replaced");
			List<String> greetings = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				greetings.add(Http.get(port, "/").greeting());
			}
			assertThat(greetings).containsOnly("bonjour");
			load.close();
			assertThat(load.failures()).as("failed requests").isEmpty();
			assertThat(load.succeeded()).isGreaterThan(100);
		}
	}

	@Test
	void aVersionThatCannotBootStopsTheReloadAndTheOldOneKeepsServing() throws Exception {
		Path broken = SampleJars.withProperties(this.temp.resolve("broken.jar"), "sample.fail-on-start=true");
		try (ClusterProcess cluster = start("broken-version");
				KeepAliveLoad load = KeepAliveLoad.start(cluster.awaitReady(2), 16, "/")) {
			int port = cluster.port();
			Set<Long> old = cluster.state().pids("READY");
			deploy(broken, port);
			ClusterState.Reload reload = cluster.awaitReloadEnd("reload-1", RELOAD_TIMEOUT);
			assertThat(reload.state()).isEqualTo("FAILED");
			assertThat(reload.progress()).isEqualTo("0/2 replaced");
			assertThat(reload.failure()).as("why").contains("sample.fail-on-start is true");
			load.drainPids();
			await("the old workers serving").atMost(Duration.ofSeconds(60)).until(() -> load.drainPids().containsAll(old));
			ClusterState state = cluster.awaitState("the failed replacement gone", (now) -> now.workers().size() == 2,
					Duration.ofSeconds(60));
			assertThat(state.states()).containsExactly("1:READY", "2:READY");
			assertThat(state.pids("READY")).as("the old workers").isEqualTo(old);
			assertThat(cluster.process().isAlive()).as("the primary").isTrue();
			load.close();
			assertThat(load.failures()).as("failed requests").isEmpty();
		}
	}

	/** Runs a copy of the sample jar, {@code app.jar}, that {@link #deploy} later replaces. */
	private ClusterProcess start(String name) throws Exception {
		Path app = Files.copy(ClusterProcess.SAMPLE_JAR, this.temp.resolve("app.jar"));
		return ClusterCommand.jar(app).workers(2).start(name);
	}

	/** What a deploy script does: move the new jar in place atomically, then ask for a reload. */
	private void deploy(Path version, int port) throws Exception {
		Files.move(version, this.temp.resolve("app.jar"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
	}

}
