package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter stays out of the way unless asked, and a cluster forks its workers the
 * way it was itself launched: {@code java -jar} (the other tests), {@code java -cp} with
 * a main class, and {@code mvn spring-boot:run}.
 */
class LaunchModesIT {

	@TempDir
	Path temp;

	@ParameterizedTest
	@ValueSource(strings = { "--cluster.enabled=false", "--cluster.workers=" })
	void withoutClusterWorkersTheAppIsOnePlainProcess(String setting) throws Exception {
		try (ClusterProcess app = ClusterProcess.sample("plain" + setting.replaceAll("\\W", "_"), setting)) {
			String started = app.awaitLine("Tomcat started on port (\\d+)", Duration.ofSeconds(60));
			int port = Integer.parseInt(started.replaceAll(".*Tomcat started on port (\\d+).*", "$1"));
			Http.Response response = Http.get(port, "/");
			assertThat(response.pid()).isEqualTo(app.pid());
			assertThat(response.worker()).isEqualTo("none");
			assertThat(app.output()).doesNotContain("dev.bootcluster").doesNotContain("Cluster primary");
			assertThat(app.process().toHandle().children()).isEmpty();
		}
	}

	@Test
	void classpathLaunchForksWorkersWithTheSameClasspathAndMainClass() throws Exception {
		List<String> command = new ArrayList<>(ClusterProcess.java());
		command.addAll(ClusterProcess.JVM_OPTIONS);
		command.addAll(List.of("-cp", SampleJars.explode(this.temp.resolve("exploded")), SampleApplication.class.getName(),
				"--server.port=0", "--cluster.workers=2"));
		try (ClusterProcess cluster = ClusterProcess.start("launch-classpath", command, null)) {
			int port = cluster.awaitReady(2);
			assertServedByBothWorkers(cluster, port);
			for (long worker : cluster.workerPids()) {
				assertThat(commandLine(worker)).isEqualTo(commandLine(cluster.pid()));
			}
		}
	}

	@Test
	void springBootRunForksWorkersToo() throws Exception {
		Path root = Path.of(System.getProperty("project.root", ".."));
		Path mvn = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn");
		List<String> command = List.of(mvn.toString(), "-o", "-q", "-B", "-pl", "sample-app", "-am", "compile",
				"spring-boot:run", "-Dspring-boot.run.arguments=--server.port=0 --cluster.workers=2",
				"-Dspring-boot.run.jvmArguments=" + String.join(" ", ClusterProcess.JVM_OPTIONS));
		try (ClusterProcess cluster = ClusterProcess.start("launch-spring-boot-run", command, root)) {
			int port = cluster.awaitReady(2);
			assertServedByBothWorkers(cluster, port);
			long primary = ProcessHandle.of(cluster.workerPids().get(0)).flatMap(ProcessHandle::parent).orElseThrow().pid();
			assertThat(commandLine(primary)).contains(SampleApplication.class.getName());
			for (long worker : cluster.workerPids()) {
				assertThat(commandLine(worker)).isEqualTo(commandLine(primary));
			}
		}
	}

	private static void assertServedByBothWorkers(ClusterProcess cluster, int port) throws IOException {
		Set<Long> pids = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			pids.add(Http.get(port, "/").pid());
		}
		assertThat(pids).containsExactlyInAnyOrderElementsOf(cluster.workerPids());
	}

	private static List<String> commandLine(long pid) throws IOException {
		String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
		return List.of(raw.split("\0"));
	}

}
