package dev.bootcluster.primary;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JavaCommandTests {

	@Test
	void jarLaunchKeepsOptionsAndProgramArguments() {
		JavaCommand command = JavaCommand.parse("/jdk/bin/java",
				List.of("-Xmx1g", "-Dx=y", "-jar", "app.jar", "--server.port=9000", "-v"));
		assertThat(command.jvmOptions()).containsExactly("-Xmx1g", "-Dx=y");
		assertThat(command.launch()).containsExactly("-jar", "app.jar", "--server.port=9000", "-v");
		assertThat(command.with(List.of("-Xmx256m"))).containsExactly("/jdk/bin/java", "-Xmx1g", "-Dx=y", "-Xmx256m",
				"-jar", "app.jar", "--server.port=9000", "-v");
	}

	@Test
	void classpathLaunchKeepsTheClasspathWithTheOptions() {
		JavaCommand command = JavaCommand.parse("java", List.of("-cp", "a.jar:b.jar", "--add-opens",
				"java.base/java.lang=ALL-UNNAMED", "com.example.App", "x"));
		assertThat(command.jvmOptions()).containsExactly("-cp", "a.jar:b.jar", "--add-opens",
				"java.base/java.lang=ALL-UNNAMED");
		assertThat(command.launch()).containsExactly("com.example.App", "x");
	}

	@Test
	void moduleLaunch() {
		JavaCommand command = JavaCommand.parse("java", List.of("-p", "mods", "-m", "app/com.example.App", "-x"));
		assertThat(command.jvmOptions()).containsExactly("-p", "mods");
		assertThat(command.launch()).containsExactly("-m", "app/com.example.App", "-x");
	}

	@Test
	void programArgumentsThatLookLikeOptionsStayProgramArguments() {
		JavaCommand command = JavaCommand.parse("java", List.of("com.example.App", "-cp", "-jar"));
		assertThat(command.jvmOptions()).isEmpty();
		assertThat(command.launch()).containsExactly("com.example.App", "-cp", "-jar");
	}

	@Test
	void currentReadsThisJvm() {
		JavaCommand current = JavaCommand.current();
		assertThat(current.executable()).contains("java");
		assertThat(current.launch()).isNotEmpty();
	}

}
