package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import dev.bootcluster.channel.Message;
import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deploying a new jar: drop it in place with an atomic move and reload. A version that
 * cannot boot, or speaks another protocol, stops the reload while the old version keeps
 * serving; a version that boots takes over with no failed request, and the boot cache of
 * the version before it is removed. One cluster goes through the three deploys in that
 * order, as an operator's would.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class NewVersionIT {

	private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);

	private static final Pattern STARTER_JAR = Pattern.compile("BOOT-INF/lib/cluster-autoconfigure-(.+)\\.jar");

	@TempDir
	static Path temp;

	private ClusterProcess cluster;

	/** The first version's boot cache, trained before the deploys begin. */
	private List<Path> firstVersionCaches;

	@BeforeAll
	void start() throws Exception {
		Path app = Files.copy(Sample.JAR, temp.resolve("app.jar"));
		this.cluster = ClusterCommand.jar(app)
			.workers(2)
			.property("cluster.worker.cache-dir", temp.resolve("cache").toString())
			.start("new-version");
		this.cluster.awaitReady(2);
		// Trained once both workers are ready; a deploy that replaces the jar first would
		// stop the training, and whether it does would depend on the machine's speed.
		this.firstVersionCaches = awaitTrainedCaches();
	}

	@AfterAll
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	@Order(1)
	void aVersionThatCannotBootStopsTheReloadAndTheOldOneKeepsServing() throws Exception {
		Path broken = SampleJars.withProperties(temp.resolve("broken.jar"), "sample.fail-on-start=true");
		assertReloadFailsAndOldVersionServes(broken, "sample.fail-on-start is true");
		assertThat(this.cluster.output()).doesNotContain("Stopping the cluster");
	}

	/**
	 * A deploy that puts workers built with a newer starter, speaking another protocol
	 * version, next to the running primary: they are refused, and the reload fails like
	 * one to a version that cannot boot.
	 */
	@Test
	@Order(2)
	void aVersionThatSpeaksAnotherProtocolIsRefusedAndTheOldOneKeepsServing() throws Exception {
		int future = Message.PROTOCOL_VERSION + 1;
		Path next = SampleJars.withProperties(temp.resolve("future.jar"),
				"cluster.internal.protocol-version=" + future);
		String refusal = "it speaks version " + future + " of the control protocol, this primary version "
				+ Message.PROTOCOL_VERSION + ": upgrade the primary to the new version (kill -USR2 "
				+ this.cluster.pid() + ", java -jar ";
		assertReloadFailsAndOldVersionServes(next, refusal);
		assertThat(this.cluster.state().reload().orElseThrow().failure()).as("how to upgrade")
			.contains(" --cluster.ctl=upgrade, or POST /actuator/cluster/upgrade)");
		assertThat(this.cluster.output()).containsPattern("Refused Worker 1 \\(pid \\d+\\): " + Pattern.quote(refusal))
			.contains("The cluster's primary refused worker 1: This worker speaks version " + future
					+ " of the cluster's control protocol and its primary version " + Message.PROTOCOL_VERSION)
			.doesNotContain("Stopping the cluster");
	}

	@Test
	@Order(3)
	void aReplacedJarIsPickedUpByTheReloadWithNoFailedRequest() throws Exception {
		Path next = SampleJars.withProperties(temp.resolve("next.jar"), "sample.greeting=bonjour");
		int port = this.cluster.port();
		try (KeepAliveLoad load = KeepAliveLoad.start(port, 16, "/")) {
			assertThat(Http.get(port, "/").greeting()).isEqualTo("hello");
			ClusterState.Reload reload = this.cluster.awaitReloadEnd(deploy(next), RELOAD_TIMEOUT);
			assertThat(reload.state()).isEqualTo("SUCCEEDED");
			assertThat(reload.progress()).isEqualTo("2/2 replaced");
			List<String> greetings = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				greetings.add(Http.get(port, "/").greeting());
			}
			assertThat(greetings).containsOnly("bonjour");
			String starter = starterVersion(Sample.JAR);
			Http.Response status = Http.get(port, "/actuator/cluster");
			assertThat(status.<String>json("$.starterVersion")).as("the primary's starter version").isEqualTo(starter);
			assertThat(status.<List<String>>json("$.workers[*].starterVersion")).as("the workers' starter versions")
				.containsExactly(starter, starter);
			assertThat(status.<Boolean>json("$.versionSkew")).isFalse();
			load.close();
			assertThat(load.failures()).as("failed requests").isEmpty();
			assertThat(load.succeeded()).isGreaterThan(100);
		}
		// removed by the boot-cache thread, after the new version's training it may be
		// running
		await("the first version's boot cache removed").atMost(Duration.ofMinutes(5))
			.untilAsserted(() -> assertThat(this.firstVersionCaches).singleElement()
				.satisfies((cache) -> assertThat(cache).doesNotExist()));
		assertThat(this.cluster.output()).contains("the boot cache of a version no worker runs any more");
	}

	/** The directories of the boot caches trained so far, once there is one. */
	private List<Path> awaitTrainedCaches() {
		Pattern trained = Pattern.compile("Workers start from the .* (/\\S+)/app\\.(jsa|aot) \\(");
		await("a version's boot cache trained").atMost(Duration.ofMinutes(5))
			.until(() -> trained.matcher(this.cluster.output()).find());
		return trained.matcher(this.cluster.output()).results().map((found) -> Path.of(found.group(1))).toList();
	}

	/**
	 * Deploys {@code version} under a keep-alive load and checks that the reload fails
	 * with {@code failure} before replacing anything, the old workers serving every
	 * request meanwhile and after.
	 */
	private void assertReloadFailsAndOldVersionServes(Path version, String failure) throws Exception {
		try (KeepAliveLoad load = KeepAliveLoad.start(this.cluster.port(), 16, "/")) {
			Set<Long> old = this.cluster.state().pids("READY");
			ClusterState.Reload reload = this.cluster.awaitReloadEnd(deploy(version), RELOAD_TIMEOUT);
			assertThat(reload.state()).isEqualTo("FAILED");
			assertThat(reload.progress()).isEqualTo("0/2 replaced");
			assertThat(reload.failure()).as("why").contains(failure);
			load.drainPids();
			await("the old workers serving").atMost(Duration.ofSeconds(60))
				.until(() -> load.drainPids().containsAll(old));
			ClusterState state = this.cluster.awaitState("the failed replacement gone",
					(now) -> now.workers().size() == 2, Duration.ofSeconds(60));
			assertThat(state.states()).containsExactly("1:READY", "2:READY");
			assertThat(state.pids("READY")).as("the old workers").isEqualTo(old);
			assertThat(this.cluster.process().isAlive()).as("the primary").isTrue();
			load.close();
			assertThat(load.failures()).as("failed requests").isEmpty();
		}
	}

	/** The version of the starter packed in {@code jar}, from its file name there. */
	private static String starterVersion(Path jar) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			return zip.stream()
				.map((entry) -> STARTER_JAR.matcher(entry.getName()))
				.filter(Matcher::matches)
				.map((matcher) -> matcher.group(1))
				.findFirst()
				.orElseThrow();
		}
	}

	/**
	 * What a deploy script does: move the new jar in place atomically, then ask for a
	 * reload.
	 * @return the reload's id
	 */
	private String deploy(Path version) throws Exception {
		Files.move(version, temp.resolve("app.jar"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		Http.Response accepted = Http.postAsAdmin(this.cluster.port(), "/actuator/cluster/reload");
		assertThat(accepted.status()).isEqualTo(202);
		return accepted.json("$.reload");
	}

}
