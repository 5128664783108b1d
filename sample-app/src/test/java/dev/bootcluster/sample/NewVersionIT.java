package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.bootcluster.channel.Message;
import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
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
		try (ClusterProcess cluster = assertReloadFailsAndOldVersionServes("broken-version", broken,
				"sample.fail-on-start is true")) {
			assertThat(cluster.output()).doesNotContain("Stopping the cluster");
		}
	}

	/**
	 * A deploy that puts workers built with a newer starter, speaking another protocol
	 * version, next to the running primary: they are refused, and the reload fails like
	 * one to a version that cannot boot.
	 */
	@Test
	void aVersionThatSpeaksAnotherProtocolIsRefusedAndTheOldOneKeepsServing() throws Exception {
		int future = Message.PROTOCOL_VERSION + 1;
		Path next = SampleJars.withProperties(this.temp.resolve("future.jar"),
				"cluster.internal.protocol-version=" + future);
		try (ClusterProcess cluster = assertReloadFailsAndOldVersionServes("future-protocol", next,
				"exited with code 3")) {
			assertThat(cluster.output())
				.contains("Refused a worker: it speaks version " + future
						+ " of the control protocol, this primary version " + Message.PROTOCOL_VERSION)
				.contains("The cluster's primary refused worker 1: This worker speaks version " + future
						+ " of the cluster's control protocol and its primary version " + Message.PROTOCOL_VERSION)
				.doesNotContain("Stopping the cluster");
		}
	}

	/**
	 * Deploys {@code version} under a keep-alive load and checks that the reload fails
	 * with {@code failure} before replacing anything, the old workers serving every
	 * request meanwhile and after.
	 * @return the still running cluster, for more checks
	 */
	private ClusterProcess assertReloadFailsAndOldVersionServes(String name, Path version, String failure)
			throws Exception {
		ClusterProcess cluster = start(name);
		try (KeepAliveLoad load = KeepAliveLoad.start(cluster.awaitReady(2), 16, "/")) {
			int port = cluster.port();
			Set<Long> old = cluster.state().pids("READY");
			deploy(version, port);
			ClusterState.Reload reload = cluster.awaitReloadEnd("reload-1", RELOAD_TIMEOUT);
			assertThat(reload.state()).isEqualTo("FAILED");
			assertThat(reload.progress()).isEqualTo("0/2 replaced");
			assertThat(reload.failure()).as("why").contains(failure);
			load.drainPids();
			await("the old workers serving").atMost(Duration.ofSeconds(60))
				.until(() -> load.drainPids().containsAll(old));
			ClusterState state = cluster.awaitState("the failed replacement gone", (now) -> now.workers().size() == 2,
					Duration.ofSeconds(60));
			assertThat(state.states()).containsExactly("1:READY", "2:READY");
			assertThat(state.pids("READY")).as("the old workers").isEqualTo(old);
			assertThat(cluster.process().isAlive()).as("the primary").isTrue();
			load.close();
			assertThat(load.failures()).as("failed requests").isEmpty();
			return cluster;
		}
		catch (Exception | AssertionError ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Runs a copy of the sample jar, {@code app.jar}, that {@link #deploy} later
	 * replaces.
	 */
	private ClusterProcess start(String name) throws Exception {
		Path app = Files.copy(Sample.JAR, this.temp.resolve("app.jar"));
		return ClusterCommand.jar(app).workers(2).start(name);
	}

	/**
	 * What a deploy script does: move the new jar in place atomically, then ask for a
	 * reload.
	 */
	private void deploy(Path version, int port) throws Exception {
		Files.move(version, this.temp.resolve("app.jar"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
	}

}
