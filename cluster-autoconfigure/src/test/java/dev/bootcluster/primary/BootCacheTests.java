package dev.bootcluster.primary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version's directory is removed only when no process marks it in use and none trains
 * in it; the lock is the operating system's, so another primary's counts.
 */
class BootCacheTests {

	@TempDir
	Path directory;

	@Test
	void aVersionNoOneUsesIsRemoved() throws IOException {
		BootCache cache = version();
		try (FileChannel channel = cache.use()) {
			assertThat(channel).isNotNull();
		}
		assertThat(BootCache.removeUnlessUsed(cache.directory())).isTrue();
		assertThat(cache.directory()).doesNotExist();
	}

	@Test
	void aVersionThisProcessUsesIsKept() throws IOException {
		BootCache cache = version();
		try (FileChannel channel = cache.use()) {
			assertThat(BootCache.removeUnlessUsed(cache.directory())).isFalse();
		}
		assertThat(cache.jar()).exists();
	}

	@Test
	void aVersionAnotherProcessUsesIsKept() throws Exception {
		BootCache cache = version();
		Path source = Files.writeString(this.directory.resolve("HoldInUse.java"), """
				import java.nio.channels.FileChannel;
				import java.nio.file.*;
				public class HoldInUse {
					public static void main(String[] args) throws Exception {
						FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
								StandardOpenOption.READ, StandardOpenOption.WRITE);
						channel.lock(0, Long.MAX_VALUE, true);
						System.out.println("holding");
						Thread.sleep(120_000);
					}
				}
				""");
		String java = ProcessHandle.current().info().command().orElse("java");
		Process holder = new ProcessBuilder(java, source.toString(),
				cache.directory().resolve("in-use.lock").toString())
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
			assertThat(output.readLine()).isEqualTo("holding");
			assertThat(BootCache.removeUnlessUsed(cache.directory())).isFalse();
			assertThat(cache.jar()).exists();
		}
		finally {
			holder.destroyForcibly();
			holder.waitFor(30, TimeUnit.SECONDS);
		}
		assertThat(BootCache.removeUnlessUsed(cache.directory())).as("once it has ended").isTrue();
	}

	private BootCache version() throws IOException {
		BootCache cache = new BootCache(this.directory.resolve("app-123"), "app.jar", ArchiveFormat.DYNAMIC_CDS);
		Files.createDirectories(cache.layout().resolve("lib"));
		Files.writeString(cache.jar(), "jar");
		Files.writeString(cache.layout().resolve("lib").resolve("a.jar"), "lib");
		Files.writeString(cache.archive(), "archive");
		return cache;
	}

}
