package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

	@TempDir
	Path temp;

	@Test
	void aReplacedJarIsPickedUpByTheReloadWithNoFailedRequest() throws Exception {
		Path next = SampleJars.withProperties(this.temp.resolve("next.jar"), "sample.greeting=bonjour");
		try (ClusterProcess cluster = start("new-version");
				KeepAliveLoad load = KeepAliveLoad.start(cluster.awaitReady(2), 16, "/", Duration.ofSeconds(90))) {
			int port = cluster.port();
			assertThat(Http.get(port, "/").greeting()).isEqualTo("hello");
			deploy(next, port);
			cluster.awaitLine("Reload reload-1 .* finished: 2/2 replaced", Duration.ofSeconds(90));
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
				KeepAliveLoad load = KeepAliveLoad.start(cluster.awaitReady(2), 16, "/", Duration.ofSeconds(90))) {
			int port = cluster.port();
			List<Long> old = cluster.workerPids();
			deploy(broken, port);
			cluster.awaitLine("Reload reload-1 .* failed after 0/2 replaced: Worker 1 \\(pid \\d+\\) could not start: "
					+ "java.lang.IllegalStateException: sample.fail-on-start is true", Duration.ofSeconds(90));
			load.drainPids();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.drainPids().containsAll(old));
			Http.Response status = Http.get(port, "/actuator/cluster");
			assertThat(status.body()).contains("\"id\":\"reload-1\"")
				.contains("\"state\":\"FAILED\"")
				.contains("sample.fail-on-start is true");
			assertThat(cluster.output()).doesNotContain("Stopping the cluster");
			load.close();
			assertThat(load.failures()).as("failed requests").isEmpty();
		}
	}

	/** Runs a copy of the sample jar, {@code app.jar}, that {@link #deploy} later replaces. */
	private ClusterProcess start(String name) throws Exception {
		Path app = Files.copy(ClusterProcess.SAMPLE_JAR, this.temp.resolve("app.jar"));
		List<String> command = new ArrayList<>(ClusterProcess.java());
		command.addAll(ClusterProcess.JVM_OPTIONS);
		command.addAll(List.of("-jar", app.toString(), "--server.port=0", "--cluster.workers=2"));
		return ClusterProcess.start(name, command, null);
	}

	/** What a deploy script does: move the new jar in place atomically, then ask for a reload. */
	private void deploy(Path version, int port) throws Exception {
		Files.move(version, this.temp.resolve("app.jar"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
	}

}
