package dev.bootcluster.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One clustered sample app with three workers and a separate management port, checked the
 * way a user would: through its ports, its processes and its output.
 */
class ClusterRuntimeIT {

	private static final int WORKERS = 3;

	private static final List<String> WORKER_JVM_ARGS = List.of("-Dsample.worker-option=on", "-Xss1m");

	@TempDir
	static Path temp;

	static Path constructionLog;

	static ClusterProcess cluster;

	static int port;

	/**
	 * The ready workers, as {@code /actuator/cluster} (on the management port) shows
	 * them.
	 */
	static Set<Long> workers;

	@BeforeAll
	static void startCluster() throws IOException {
		constructionLog = temp.resolve("constructed.txt");
		cluster = Sample.command()
			.workers(WORKERS)
			.property("management.server.port", "0")
			.property("sample.construction-log", constructionLog.toString())
			.property("cluster.worker.jvm-args", String.join(" ", WORKER_JVM_ARGS))
			// What this class checks (the workers' exact command line, the processes that
			// create a context) is what a boot cache's training run and launch change.
			.property("cluster.worker.class-data-sharing", "off")
			.start("cluster-runtime");
		port = cluster.awaitReady(WORKERS);
		workers = cluster.state().pids("READY");
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void newConnectionsAreSpreadRoundRobinOverEveryWorker() throws IOException {
		List<Long> pids = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			Http.Response response = Http.get(port, "/");
			assertThat(response.status()).isEqualTo(200);
			pids.add(response.pid());
		}
		Map<Long, Long> perWorker = pids.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(perWorker.keySet()).isEqualTo(workers).doesNotContain(cluster.pid());
		assertThat(perWorker.values()).allSatisfy((count) -> assertThat(count).isBetween(1L, 2L * 60 / WORKERS));
	}

	@Test
	void workersKnowTheirIdAndCount() throws IOException {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 3 * WORKERS; i++) {
			Http.Response response = Http.get(port, "/");
			ids.add(response.worker());
			assertThat(response.workers()).isEqualTo(Integer.toString(WORKERS));
		}
		assertThat(ids).containsExactlyInAnyOrder("1", "2", "3");
		assertThat(workers).hasSize(WORKERS);
		for (long pid : workers) {
			// Boot's console pattern shows each line's pid: how an operator tells the
			// workers' lines apart.
			assertThat(cluster.output()).as("the worker's own log lines carry its pid").contains(" " + pid + " ---");
		}
	}

	@Test
	void workersSeeTheRealClientAddress() throws IOException {
		InetAddress client = InetAddress.getByName("127.0.0.2");
		for (int i = 0; i < 2 * WORKERS; i++) {
			assertThat(Http.getFrom(client, port, "/").remote()).isEqualTo("127.0.0.2");
			assertThat(Http.get(port, "/").remote()).isEqualTo("127.0.0.1");
		}
	}

	@Test
	void onlyWorkersEverCreateTheApplicationContext() throws IOException {
		List<Long> constructed = Files.readAllLines(constructionLog).stream().map(Long::parseLong).toList();
		assertThat(Set.copyOf(constructed)).hasSize(constructed.size())
			.isEqualTo(workers)
			.doesNotContain(cluster.pid());
	}

	@Test
	void workersRunThePrimaryCommandLinePlusWorkerJvmArgs() throws IOException {
		List<String> primary = commandLine(cluster.pid());
		int launch = primary.indexOf("-jar");
		List<String> expected = new ArrayList<>(primary.subList(0, launch));
		expected.addAll(WORKER_JVM_ARGS);
		expected.addAll(primary.subList(launch, primary.size()));
		for (long worker : workers) {
			assertThat(commandLine(worker)).isEqualTo(expected);
		}
	}

	@Test
	void managementPortIsFrontedByThePrimaryToo() throws IOException {
		int management = cluster.managementPort();
		assertThat(management).isNotEqualTo(port);
		Http.Response health = Http.get(management, "/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.<String>json("$.status")).isEqualTo("UP");
		assertThat(Http.get(port, "/actuator/health").status()).as("actuator is on its own port only").isEqualTo(404);
	}

	@Test
	void theManagementPortSeesTheRealClientToo() throws IOException {
		int management = cluster.managementPort();
		InetAddress client = InetAddress.getByName("127.0.0.2");
		for (int i = 0; i < 2 * WORKERS; i++) {
			Http.Response response = Http.getFrom(client, management, "/client");
			assertThat(response.status()).isEqualTo(200);
			assertThat(cluster.workerPids()).contains(response.pid());
			assertThat(response.remote()).as("client address").isEqualTo("127.0.0.2");
			assertThat(response.remotePort()).as("client port").isEqualTo(response.clientPort());
			assertThat(response.localPort()).as("the port the client connected to").isEqualTo(management);
		}
	}

	private static List<String> commandLine(long pid) throws IOException {
		String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
		return Arrays.asList(raw.split("\0"));
	}

}
