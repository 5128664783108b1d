package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bootcluster.test.ClusterProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local Maven repository of a test's own, for nested {@code mvn -o} builds: what the
 * README's {@code mvn install} would put in {@code ~/.m2} goes here instead
 * ({@code install:install-file} of jars the outer build has just built), and everything
 * else comes from the shared {@code ~/.m2/repository}, read only. Maven 3.8 has no
 * {@code maven.repo.local.tail} (3.9), so the shared repository is a {@code file://}
 * mirror of every remote repository, allowed in offline mode
 * ({@code aether.offline.protocols=file}): Maven copies what it needs from it and never
 * writes to it. Used on the test's thread.
 */
final class ThrowawayRepository {

	private static final Duration MVN_TIMEOUT = Duration.ofMinutes(5);

	private static final Path SHARED = Path.of(System.getProperty("user.home"), ".m2", "repository");

	private final Path directory;

	private final Path settings;

	private ThrowawayRepository(Path directory, Path settings) {
		this.directory = directory;
		this.settings = settings;
	}

	/** An empty repository in {@code directory}, and its settings next to it. */
	static ThrowawayRepository create(Path directory) throws IOException {
		Files.createDirectories(directory);
		Path settings = directory.resolveSibling("settings.xml");
		// Central, the only remote repository of a Boot app's build, with checksums
		// ignored: a local repository keeps none for some files.
		String central = """
				<id>central</id>
				<url>https://repo.maven.apache.org/maven2</url>
				<releases><checksumPolicy>ignore</checksumPolicy></releases>
				<snapshots><enabled>false</enabled></snapshots>
				""";
		Files.writeString(settings, """
				<settings>
				  <mirrors>
				    <mirror>
				      <id>shared-local-repository</id>
				      <mirrorOf>*</mirrorOf>
				      <url>%s</url>
				    </mirror>
				  </mirrors>
				  <profiles>
				    <profile>
				      <id>shared-local-repository</id>
				      <repositories><repository>%s</repository></repositories>
				      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
				    </profile>
				  </profiles>
				  <activeProfiles><activeProfile>shared-local-repository</activeProfile></activeProfiles>
				</settings>
				""".formatted(SHARED.toUri(), central, central));
		return new ThrowawayRepository(directory, settings);
	}

	/** {@code mvn install-file} of {@code file} (a jar, or a pom alone) with its pom. */
	void install(Path file, Path pom, Path workingDirectory) throws IOException, InterruptedException {
		assertThat(file).as("built by the outer build").isRegularFile();
		// The version Boot 4.0.7 manages: the one 'mvn install' of this repository runs
		List<String> arguments = List.of("org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file",
				"-Dfile=" + file, "-DpomFile=" + pom);
		run("install-" + file.getFileName(), arguments, workingDirectory);
	}

	/**
	 * Runs {@code mvn <arguments>} against this repository, offline, with the test's JDK,
	 * and waits until it succeeds.
	 */
	void run(String name, List<String> arguments, Path workingDirectory) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn").toString());
		command.addAll(List.of("-B", "-ntp", "-o", "-s", this.settings.toString(),
				"-Dmaven.repo.local=" + this.directory, "-Daether.offline.protocols=file"));
		command.addAll(arguments);
		try (ClusterProcess mvn = ClusterProcess.start(name, command, workingDirectory,
				Map.of("JAVA_HOME", System.getProperty("java.home")))) {
			assertThat(mvn.awaitExit(MVN_TIMEOUT)).as("%s exit code; output:%n%s", command, mvn.output()).isZero();
		}
	}

}
