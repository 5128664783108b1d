package dev.bootcluster.test;

import java.util.List;

import dev.bootcluster.test.app.ClusterTestApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterLaunchTests {

	@Test
	void startsTheMainClassFromTheClassPathOnARandomPort() {
		List<String> command = command(ThreeWorkers.class);
		assertThat(command.get(0)).endsWith("/bin/java");
		assertThat(command.subList(1, command.size())).containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Xmx256m", "-cp", "/app/classes:/app/lib.jar", ClusterTestApplication.class.getName(),
				"--server.port=0", "--cluster.worker.ready-timeout=180s", "--cluster.workers=3",
				"--management.endpoints.web.exposure.include=health,cluster", "--app.greeting=a=b");
	}

	@Test
	void givenJvmOptionsReplaceTheSmallJvm() {
		assertThat(command(OwnJvmOptions.class)).contains("-Xmx1g").doesNotContain("-XX:+UseSerialGC");
	}

	@Test
	void aGivenPortIsKept() {
		assertThat(command(FixedPort.class)).contains("--server.port=18080").doesNotContain("--server.port=0");
	}

	@Test
	void aGivenReadyTimeoutIsKept() {
		assertThat(command(OwnReadyTimeout.class)).contains("--cluster.worker.ready-timeout=10s")
			.doesNotContain("--cluster.worker.ready-timeout=180s");
	}

	@Test
	void aPropertyWithoutValueIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> command(NoValue.class))
			.withMessageContaining("'debug' is not name=value");
	}

	@Test
	void workersAreNotAProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> command(WorkersAsProperty.class))
			.withMessageContaining("workers = N");
	}

	private static List<String> command(Class<?> annotated) {
		return ClusterLaunch
			.command(annotated.getAnnotation(ClusterTest.class), ClusterTestApplication.class,
					"/app/classes:/app/lib.jar")
			.command();
	}

	@ClusterTest(workers = 3,
			properties = { "management.endpoints.web.exposure.include=health,cluster", "app.greeting=a=b" })
	static class ThreeWorkers {

	}

	@ClusterTest(jvmOptions = "-Xmx1g")
	static class OwnJvmOptions {

	}

	@ClusterTest(properties = "cluster.worker.ready-timeout=10s")
	static class OwnReadyTimeout {

	}

	@ClusterTest(properties = "server.port=18080")
	static class FixedPort {

	}

	@ClusterTest(properties = "debug")
	static class NoValue {

	}

	@ClusterTest(properties = "cluster.workers=4")
	static class WorkersAsProperty {

	}

}
