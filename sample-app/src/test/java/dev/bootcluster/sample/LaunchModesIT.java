package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter stays out of the way unless asked, and a cluster forks its workers the way
 * it was itself launched: {@code java -jar} (the other tests), {@code java -cp} with a
 * main class, and {@code mvn spring-boot:run}.
 */
class LaunchModesIT {

	@TempDir
	Path temp;

	@ParameterizedTest
	@ValueSource(strings = { "--cluster.enabled=false", "--cluster.workers=" })
	void withoutClusterWorkersTheAppIsOnePlainProcess(String setting) throws Exception {
		try (ClusterProcess app = Sample.command().arguments(setting).start("plain" + setting.replaceAll("\\W", "_"))) {
			// A plain app: Boot's own log is the only place that tells its port.
			String started = app.awaitLine("Tomcat started on port (\\d+)", Duration.ofSeconds(120));
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
		String classPath = SampleJars.explode(this.temp.resolve("exploded"));
		try (ClusterProcess cluster = ClusterCommand.classPath(classPath, SampleApplication.class.getName())
			.workers(2)
			.start("launch-classpath")) {
			int port = cluster.awaitReady(2);
			for (long worker : assertServedByBothWorkers(cluster, port)) {
				assertThat(commandLine(worker)).isEqualTo(commandLine(cluster.pid()));
			}
		}
	}

	@Test
	void springBootRunForksWorkersToo() throws Exception {
		Path root = Path.of(System.getProperty("project.root", ".."));
		try (ClusterProcess cluster = ClusterCommand.springBootRun(root, "sample-app")
			.workers(2)
			.start("launch-spring-boot-run")) {
			int port = cluster.awaitReady(2);
			Set<Long> workers = assertServedByBothWorkers(cluster, port);
			long primary = cluster.state().primaryPid();
			assertThat(cluster.process().toHandle().descendants().map(ProcessHandle::pid)).as("processes Maven started")
				.contains(primary);
			assertThat(commandLine(primary)).contains(SampleApplication.class.getName());
			for (long worker : workers) {
				assertThat(commandLine(worker)).isEqualTo(commandLine(primary));
			}
		}
	}

	/** Checks that the ready workers serve, and returns them. */
	private static Set<Long> assertServedByBothWorkers(ClusterProcess cluster, int port) throws IOException {
		Set<Long> workers = cluster.state().pids("READY");
		assertThat(workers).hasSize(2);
		Set<Long> pids = new HashSet<>();
		for (int i = 0; i < 10; i++) {
			pids.add(Http.get(port, "/").pid());
		}
		assertThat(pids).isEqualTo(workers);
		return workers;
	}

	private static List<String> commandLine(long pid) throws IOException {
		String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
		return List.of(raw.split("\0"));
	}

}
