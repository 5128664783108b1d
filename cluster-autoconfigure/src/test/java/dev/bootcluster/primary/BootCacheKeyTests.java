package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class BootCacheKeyTests {

	@TempDir
	Path directory;

	@Test
	void sameContentJvmAndOptionsShareAKeyNamedAfterTheJar() throws IOException {
		Path jar = jar("app.jar", "one");
		Path copy = jar("copy/app.jar", "one");
		String key = BootCacheKey.of(jar, "17.0.15 /jdk", List.of("-XX:+UseSerialGC"));
		assertThat(key).matches("app-[0-9a-f]{24}");
		assertThat(BootCacheKey.of(copy, "17.0.15 /jdk", List.of("-XX:+UseSerialGC", "-Dx=y", "-Xlog:gc")))
			.as("same content elsewhere, options that do not matter")
			.isEqualTo(key);
	}

	@Test
	void anotherVersionJvmOrCollectorGetsAnotherKey() throws IOException {
		Path jar = jar("app.jar", "one");
		String key = BootCacheKey.of(jar, "17.0.15 /jdk", List.of());
		assertThat(BootCacheKey.of(jar("next/app.jar", "two"), "17.0.15 /jdk", List.of())).isNotEqualTo(key);
		assertThat(BootCacheKey.of(jar, "25.0.1 /jdk25", List.of())).isNotEqualTo(key);
		assertThat(BootCacheKey.of(jar, "17.0.15 /jdk", List.of("-XX:+UseZGC"))).isNotEqualTo(key);
		assertThat(BootCacheKey.of(jar, "17.0.15 /jdk", List.of("-Xmx64g"))).isNotEqualTo(key);
	}

	@Test
	void relevantOptionsLeaveOutTheHeapShareTheWorkerCountDecides() {
		assertThat(BootCacheKey.relevant(List.of("-XX:MaxRAMPercentage=37.5", "-XX:+UseCompactObjectHeaders", "-Xmx1g",
				"-Dspring.profiles.active=x", "-Xlog:cds", "-agentlib:jdwp=transport=dt_socket", "-javaagent:otel.jar",
				"--enable-preview")))
			.containsExactly("-XX:+UseCompactObjectHeaders", "-Xmx1g", "-javaagent:otel.jar", "--enable-preview");
	}

	private Path jar(String name, String content) throws IOException {
		Path jar = this.directory.resolve(name);
		Files.createDirectories(jar.getParent());
		return Files.writeString(jar, content);
	}

}
