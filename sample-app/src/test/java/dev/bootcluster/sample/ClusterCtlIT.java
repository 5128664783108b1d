package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar sample-app.jar --cluster.ctl=…} as an operator runs it on the host,
 * against one running cluster: real processes that talk to the primary over its control
 * socket, without HTTP (the sample's reload and scale over HTTP need an ADMIN login; the
 * command line needs none). The cluster and every command share a temporary directory of
 * the test's own, so that the command finds this cluster, and no other, by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCtlIT {

	/** A JVM that starts and asks one question: generous, for a machine under load. */
	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(3);

	@TempDir
	static Path temp;

	static ClusterProcess cluster;

	@BeforeAll
	static void startCluster() throws IOException {
		cluster = Sample.command()
			.jvmOptions(jvmOptions().toArray(String[]::new))
			.workers(2)
			.property("cluster.worker.check-interval", "1s")
			// the kit's own deadline for the first workers, not the product's 60 s
			.property("cluster.worker.ready-timeout", ClusterProcess.READY_TIMEOUT.toSeconds() + "s")
			.start("cluster-ctl");
		cluster.awaitReady(2);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void statusPrintsATableOfTheWorkersWithoutStartingTheApp() throws Exception {
		Set<Long> ready = cluster
			.awaitState("the workers' resident memory checked",
					(state) -> state.<List<Number>>read("$.workers[*].residentMemory")
						.stream()
						.allMatch((bytes) -> bytes.longValue() > 0),
					RELOAD_TIMEOUT)
			.pids("READY");
		Result status = ctl("--cluster.ctl=status");
		assertThat(status.exitCode()).as(status.output()).isZero();
		List<String> lines = status.output().lines().toList();
		assertThat(lines.get(0)).startsWith("Cluster primary pid " + cluster.pid() + ", up ")
			.contains("2 of 2 worker(s) ready, Boot Cluster ")
			.doesNotContain("version skew");
		assertThat(lines.get(1).split("\\s+")).containsExactly("id", "pid", "state", "uptime", "restarts", "cpu", "mem",
				"conns", "requests", "version");
		Pattern row = Pattern.compile("(\\d+) +(\\d+) +READY +\\S+( \\S+)? +\\d+ +\\d+% +[\\d.]+ MB +\\d+ +\\d+ +\\S+");
		Set<Long> rowPids = lines.subList(2, 4).stream().map((line) -> {
			Matcher matcher = row.matcher(line);
			assertThat(matcher.matches()).as(line).isTrue();
			return Long.parseLong(matcher.group(2));
		}).collect(Collectors.toSet());
		assertThat(rowPids).isEqualTo(ready);
		assertThat(status.output()).doesNotContain("Cluster primary (pid", "Started SampleApplication",
				":: Spring Boot ::");
	}

	@Test
	@Order(2)
	void statusAsJsonIsTheEndpointsDocument() throws Exception {
		ClusterState state = cluster.state();
		Result json = ctl("--cluster.ctl=status", "--json", "--pid=" + cluster.pid());
		assertThat(json.exitCode()).as(json.output()).isZero();
		List<Number> pids = JsonPath.read(json.output(), "$.workers[*].pid");
		assertThat(pids.stream().map(Number::longValue).collect(Collectors.toSet())).isEqualTo(state.pids("READY"));
		assertThat(JsonPath.<Number>read(json.output(), "$.primaryPid").longValue()).isEqualTo(cluster.pid());
		assertThat(JsonPath.<String>read(json.output(), "$.schedulingPolicy")).isEqualTo(state.schedulingPolicy());
	}

	@Test
	@Order(3)
	void restartReplacesOneWorker() throws Exception {
		long before = cluster.state().readyPid(1);
		Result restart = ctl("--cluster.ctl=restart", "1");
		assertThat(restart.exitCode()).as(restart.output()).isZero();
		Matcher accepted = Pattern
			.compile("(reload-\\d+): Replacing 1 worker\\(s\\) one at a time; watch it with " + "--cluster.ctl=status")
			.matcher(restart.output().strip());
		assertThat(accepted.matches()).as(restart.output()).isTrue();
		assertThat(cluster.awaitReloadEnd(accepted.group(1), RELOAD_TIMEOUT).state()).isEqualTo("SUCCEEDED");
		assertThat(cluster.state().readyPid(1)).isNotEqualTo(before);
		assertThat(cluster.output()).contains("(restart of worker 1)");
	}

	@Test
	@Order(4)
	void scaleStartsAThirdWorkerAndARefusalFails() throws Exception {
		Result scale = ctl("--cluster.ctl=scale 3");
		assertThat(scale.exitCode()).as(scale.output()).isZero();
		assertThat(scale.output().strip()).isEqualTo("Scaling from 2 to 3 workers; watch it with --cluster.ctl=status");
		cluster.awaitState("3 workers ready", (state) -> state.pids("READY").size() == 3, RELOAD_TIMEOUT);
		Result refused = ctl("--cluster.ctl=restart", "9");
		assertThat(refused.exitCode()).isEqualTo(1);
		assertThat(refused.output().strip()).isEqualTo("No worker 9: worker ids are 1 to 3");
	}

	/** The tests' JVM options, with the temporary directory the cluster and ctl share. */
	private static List<String> jvmOptions() {
		List<String> options = new ArrayList<>(ClusterProcess.JVM_OPTIONS);
		options.add("-Djava.io.tmpdir=" + temp);
		return options;
	}

	/** Runs {@code java -jar sample-app.jar <args>} to its end. */
	private static Result ctl(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(ClusterProcess.java());
		command.addAll(jvmOptions());
		command.addAll(List.of("-jar", Sample.JAR.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().remove("CLUSTER_WORKER_ID");
		Process process = builder.start();
		try {
			assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("cluster.ctl ended").isTrue();
			return new Result(process.exitValue(),
					new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
		}
		finally {
			process.destroyForcibly();
		}
	}

	private record Result(int exitCode, String output) {
	}

}
