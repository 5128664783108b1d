package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a worker's command line is before and after a cache exists, and which launches
 * cannot start from one. The cache itself is trained and used by real JVMs in
 * {@code ClassDataSharingIT}; here an archive is found in the cache directory and a
 * stand-in for {@code java} that always exits 0 accepts it.
 */
class WorkerBootTests {

	@TempDir
	Path directory;

	@Test
	void aJarLaunchCanStartFromACacheInAPrivateDirectoryItCreates() throws IOException {
		Path jar = Files.writeString(this.directory.resolve("app.jar"), "jar");
		Path cache = this.directory.resolve("cache");
		assertThat(WorkerBoot.whyNot(jar(jar), List.of("-Xmx256m"), cache)).isNull();
		assertThat(Files.getPosixFilePermissions(cache)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
	}

	@Test
	void aClassPathLaunchCannot() {
		JavaCommand command = JavaCommand.parse("java", List.of("-cp", "target/classes:a.jar", "com.example.App"));
		assertThat(WorkerBoot.whyNot(command, List.of(), this.directory)).contains("not started with java -jar");
	}

	@Test
	void optionsThatChooseTheirOwnSharingAreLeftAlone() throws IOException {
		Path jar = Files.writeString(this.directory.resolve("app.jar"), "jar");
		for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=my.jsa", "-XX:AOTCache=my.aot")) {
			assertThat(WorkerBoot.whyNot(jar(jar), List.of(option), this.directory.resolve("cache"))).as(option)
				.contains("choose their own");
		}
	}

	@Test
	void aDirectoryOthersCanWriteToIsRefused() throws IOException {
		Path jar = Files.writeString(this.directory.resolve("app.jar"), "jar");
		Path shared = Files.createDirectory(this.directory.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThat(WorkerBoot.whyNot(jar(jar), List.of(), shared)).contains("others can write");
	}

	@Test
	void withoutACacheAWorkerStartsAsThePrimaryDidWithItsHeapShareFirst() throws IOException {
		Path jar = Files.writeString(this.directory.resolve("app.jar"), "not a jar the JVM can use");
		JavaCommand primary = jar(jar);
		for (ClassDataSharing sharing : ClassDataSharing.values()) {
			WorkerBoot boot = WorkerBoot.of(primary, List.of("-Xss512k"), sharing, true,
					this.directory.resolve("cache"), new ServingPriority(0));
			WorkerBoot.Start start = boot.start(List.of("-XX:MaxRAMPercentage=37.5"));
			assertThat(start.cache()).isNull();
			assertThat(start.command()).as(sharing.name())
				.containsExactly("/jdk/bin/java", "-XX:MaxRAMPercentage=37.5", "-XX:+UseSerialGC", "-Xss512k", "-jar",
						jar.toString(), "--server.port=0");
		}
	}

	@Test
	void aWorkerStartingFromTheArchiveSharesItsPagesWhenAsked() throws IOException {
		Path jar = Files.writeString(this.directory.resolve("app.jar"), "jar");
		Path cache = this.directory.resolve("cache");
		JavaCommand primary = JavaCommand.parse(accepting(), List.of("-XX:+UseSerialGC", "-jar", jar.toString()));
		BootCache found = archiveIn(cache, jar, primary);
		WorkerBoot boot = WorkerBoot.of(primary, List.of("-Xss512k"), ClassDataSharing.AUTO, true, cache,
				new ServingPriority(0));
		assertThat(boot.start(List.of()).command()).containsExactly(accepting(), "-XX:+UseSerialGC",
				"-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-Xss512k",
				found.format().use(found.archive()), "-jar", found.jar().toString());
		boot.shareArchivePages(false);
		assertThat(boot.start(List.of()).command()).containsExactly(accepting(), "-XX:+UseSerialGC", "-Xss512k",
				found.format().use(found.archive()), "-jar", found.jar().toString());
	}

	@Test
	void theCacheLaunchesTheExtractedJarWithTheArchiveAndTheSameArguments() {
		BootCache cache = new BootCache(Path.of("/cache/app-123"), "app.jar", ArchiveFormat.AOT_CACHE);
		assertThat(cache.launch(List.of("--server.port=0"))).containsExactly("-XX:AOTCache=/cache/app-123/app.aot",
				"-jar", "/cache/app-123/app/app.jar", "--server.port=0");
		assertThat(ArchiveFormat.forJava(17)).isEqualTo(ArchiveFormat.DYNAMIC_CDS);
		assertThat(ArchiveFormat.forJava(24).use(Path.of("/c/app.jsa"))).isEqualTo("-XX:SharedArchiveFile=/c/app.jsa");
		assertThat(ArchiveFormat.forJava(25).training(Path.of("/c/app.aot.1")))
			.isEqualTo("-XX:AOTCacheOutput=/c/app.aot.1");
	}

	/** An archive file where the primary looks for its version's cache. */
	private static BootCache archiveIn(Path cache, Path jar, JavaCommand primary) throws IOException {
		List<String> options = new ArrayList<>(primary.jvmOptions());
		options.add("-Xss512k");
		String key = BootCacheKey.of(jar, Runtime.version() + " " + System.getProperty("java.home"), options);
		BootCache found = new BootCache(cache.resolve(key), jar.getFileName().toString(),
				ArchiveFormat.forJava(Runtime.version().feature()));
		Files.createDirectories(found.directory());
		Files.writeString(found.archive(), "archive");
		return found;
	}

	/** Stands in for the java that probes the archive: it accepts every archive. */
	private static String accepting() {
		return Files.isExecutable(Path.of("/usr/bin/true")) ? "/usr/bin/true" : "/bin/true";
	}

	private static JavaCommand jar(Path jar) {
		return JavaCommand.parse("/jdk/bin/java",
				List.of("-XX:+UseSerialGC", "-jar", jar.toString(), "--server.port=0"));
	}

}
