package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upgrading the primary itself: a new jar dropped in place with an atomic move, then
 * {@code POST /actuator/cluster/upgrade} (the first upgrade) or SIGUSR2 (the second). A
 * version that cannot boot leaves the old cluster serving, untouched; one that boots
 * starts a new primary that listens next to the old one once its workers are ready, and
 * the old one hands over and exits 0. Keep-alive clients, a stream of new connections and
 * a stream of orders (POST, never to run twice) see no refused connection and no failed
 * request throughout, and no order runs twice. One cluster, two upgrades.
 */
class UpgradeIT {

	/** A new primary and its workers boot next to the old cluster, under load. */
	private static final Duration UPGRADE_TIMEOUT = Duration.ofMinutes(6);

	@TempDir
	Path temp;

	@Test
	void aNewPrimaryTakesOverWithNoRefusedConnectionAndNoFailedRequestAndOneThatCannotBootChangesNothing()
			throws Exception {
		Path app = Files.copy(Sample.JAR, this.temp.resolve("app.jar"));
		Path broken = SampleJars.withProperties(this.temp.resolve("broken.jar"), "sample.fail-on-start=true");
		Path next = SampleJars.withProperties(this.temp.resolve("next.jar"), "sample.greeting=bonjour");
		Path ordersFile = this.temp.resolve("orders.txt");
		Map<String, Integer> orders = new ConcurrentHashMap<>();
		List<String> orderFailures = new CopyOnWriteArrayList<>();
		AtomicInteger nextOrder = new AtomicInteger();
		// A generous deadline: the new workers boot next to the old cluster under load.
		try (ClusterProcess cluster = ClusterCommand.jar(app)
			.workers(2)
			.property("cluster.worker.ready-timeout", "5m")
			.property("sample.orders-file", ordersFile.toString())
			.start("upgrade")) {
			int port = cluster.awaitReady(2);
			long oldPrimary = cluster.pid();
			Set<Long> oldWorkers = cluster.state().pids("READY");
			assertThat(Http.get(port, "/").greeting()).isEqualTo("hello");
			long newPrimary;
			long keepAliveRequests;
			int newConnectionRequests;
			try (Load newConnections = Load.start(port, "/");
					KeepAliveLoad keepAlive = KeepAliveLoad.start(port, 8, "/");
					ClientThreads ordering = new ClientThreads()) {
				ordering.repeat("orders", () -> {
					String id = "order-" + nextOrder.incrementAndGet();
					orders.put(id, Http.request(port, "POST", "/orders?id=" + id + "&ms=20", "").status());
				}, orderFailures);
				deploy(broken, app);
				Http.Response accepted = Http.postAsAdmin(port, "/actuator/cluster/upgrade");
				assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
				assertThat(accepted.<String>json("$.message")).startsWith("Upgrading the primary: started a new one");
				cluster.awaitLine("The upgrade failed: the new primary \\(pid \\d+\\) exited with code",
						UPGRADE_TIMEOUT);
				ClusterState unchanged = cluster.state();
				assertThat(unchanged.primaryPid()).isEqualTo(oldPrimary);
				assertThat(unchanged.pids("READY")).isEqualTo(oldWorkers);
				assertThat(ClusterProcess.isAlive(cluster.newPrimaryPids().get(0))).as("the failed new primary")
					.isFalse();

				deploy(next, app);
				ClusterProcess.signal(oldPrimary, "USR2");
				cluster.awaitLine("Took over the ports from the primary pid " + oldPrimary, UPGRADE_TIMEOUT);
				newPrimary = cluster.newPrimaryPids().get(1);
				keepAlive.drainPids();
				await("keep-alive clients answered by new workers only").atMost(Duration.ofSeconds(90)).until(() -> {
					Set<Long> answered = keepAlive.drainPids();
					return !answered.isEmpty() && answered.stream().noneMatch(oldWorkers::contains);
				});
				int before = newConnections.results().size();
				newConnections.awaitMore(20);
				List<Load.Result> after = newConnections.results();
				assertThat(after.subList(before, after.size())).extracting(Load.Result::pid)
					.as("new connections answered by new workers only")
					.doesNotContainAnyElementsOf(oldWorkers);
				keepAlive.close();
				newConnections.close();
				ordering.close();
				assertThat(keepAlive.failures()).as("keep-alive failures").isEmpty();
				assertThat(keepAlive.succeeded()).isGreaterThan(100);
				keepAliveRequests = keepAlive.succeeded();
				newConnectionRequests = newConnections.results().size();
				List<Load.Result> failed = newConnections.results().stream().filter((result) -> !result.ok()).toList();
				assertThat(failed).as("new connections refused or failed").isEmpty();
				assertThat(newConnections.results()).hasSizeGreaterThan(100);
				assertThat(orderFailures).as("orders without a response").isEmpty();
				assertThat(orders).as("orders")
					.hasSizeGreaterThan(50)
					.allSatisfy((id, status) -> assertThat(status).as(id).isEqualTo(201));
			}
			// Not awaitExit: the new primary holds the output pipe open.
			assertThat(cluster.process().waitFor(2, TimeUnit.MINUTES)).as("the old primary exited").isTrue();
			assertThat(cluster.process().exitValue()).as("the old primary's exit code").isZero();
			ClusterState state = cluster.state();
			assertThat(state.primaryPid()).isEqualTo(newPrimary).isNotEqualTo(oldPrimary);
			assertThat(state.pids("READY")).hasSize(2).doesNotContainAnyElementsOf(oldWorkers);
			assertThat(oldWorkers).noneMatch(ClusterProcess::isAlive);
			assertThat(Http.get(port, "/").greeting()).isEqualTo("bonjour");
			List<String> started = Files.readAllLines(ordersFile).stream().map((line) -> line.split(" ")[0]).toList();
			assertThat(started).as("orders started more than once").doesNotHaveDuplicates();
			assertThat(started).as("orders started").containsAll(orders.keySet());
			System.out.printf("upgrade: %d keep-alive requests, %d new connections, %d orders, all answered%n",
					keepAliveRequests, newConnectionRequests, orders.size());
			ClusterProcess.signal(newPrimary, "TERM");
			await("the new primary stopped").atMost(Duration.ofSeconds(90))
				.until(() -> !ClusterProcess.isAlive(newPrimary));
		}
	}

	/** What a deploy script does: move the new jar in place atomically. */
	private static void deploy(Path version, Path app) throws Exception {
		Files.move(version, app, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

}
