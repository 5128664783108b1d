package dev.bootcluster.sample;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.worker.class-data-sharing=auto}, in a cache directory of its own: the
 * first workers start as the primary did, then the primary trains an archive (AOT cache
 * on JDK 25, CDS archive on 17); a worker killed after that starts from it, as the JVM's
 * class-loading log shows; an archive corrupted on disk is not used, is refused with a
 * WARN, removed and trained again, and the worker replaced meanwhile starts and serves,
 * while the worker already running from the archive goes on serving.
 */
class ClassDataSharingIT {

	/** A Spring Boot class every worker loads early, from the archive when it has one. */
	private static final String SHARED = "org.springframework.boot.SpringApplication source: shared objects file";

	private static final Duration TRAINING = Duration.ofMinutes(5);

	@TempDir
	Path directory;

	@Test
	void aRestartedWorkerStartsFromTheTrainedArchiveAndACorruptOneIsTrainedAgain() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.worker.cache-dir", this.directory.resolve("cache").toString())
			.property("cluster.worker.jvm-args",
					"-Xlog:class+load=info:file=" + this.directory.resolve("classes-%p.log"))
			.property("cluster.restart.initial-delay", "100ms")
			.start("class-data-sharing")) {
			int port = cluster.awaitReady(2);
			ClusterState first = cluster.state();
			for (long pid : first.pids("READY")) {
				assertThat(classLog(pid)).as("a first-generation worker, before any archive").doesNotContain(SHARED);
			}
			cluster.awaitLine("Workers start from the (AOT cache|CDS archive) .*\\(trained in", TRAINING);
			Path archive = archive();

			long restarted = replace(cluster, first.readyPid(1), 1);
			assertThat(classLog(restarted)).as("the worker started after training").contains(SHARED);
			awaitServedBy(port, restarted);

			corrupt(archive);
			long fallback = replace(cluster, first.readyPid(2), 2);
			assertThat(classLog(fallback)).as("the worker started while the archive was corrupt")
				.doesNotContain(SHARED);
			awaitServedBy(port, fallback);
			cluster.awaitLine("WARN .*" + archive.getFileName() + " was refused by the JVM", TRAINING);
			await("the archive trained again").atMost(TRAINING)
				.until(() -> cluster.countLines("Workers start from the .*\\(trained in") == 2);
			assertThat(cluster.state().readyPid(1)).as("the worker running from the archive before it was corrupted")
				.isEqualTo(restarted);
			assertThat(cluster.output()).doesNotContain("Exception");
		}
	}

	/** Kills the worker in slot {@code id} and returns its replacement's pid, ready. */
	private static long replace(ClusterProcess cluster, long victim, int id) {
		ProcessHandle worker = ProcessHandle.of(victim).orElseThrow();
		worker.destroyForcibly();
		worker.onExit().orTimeout(30, TimeUnit.SECONDS).join();
		return cluster
			.awaitState("worker " + id + " replaced", (now) -> now.readyPid(id) > 0 && now.readyPid(id) != victim,
					ClusterProcess.READY_TIMEOUT)
			.readyPid(id);
	}

	private static void awaitServedBy(int port, long pid) {
		await("a request served by worker " + pid).atMost(Duration.ofSeconds(30))
			.until(() -> Http.get(port, "/").pid() == pid);
	}

	private String classLog(long pid) throws IOException {
		return Files.readString(this.directory.resolve("classes-" + pid + ".log"));
	}

	private Path archive() throws IOException {
		try (Stream<Path> files = Files.walk(this.directory.resolve("cache"))) {
			List<Path> archives = files.filter((file) -> file.toString().matches(".*/app\\.(aot|jsa)")).toList();
			assertThat(archives).hasSize(1);
			return archives.get(0);
		}
	}

	/**
	 * Replaces the archive with a copy whose middle 4 KB are noise, as a stray copy or a
	 * bad download would. A copy moved into place, not a write into the file: a running
	 * JVM maps the archive, and bytes changed under that mapping crash it (seen here:
	 * SIGSEGV in the JIT compiler), which no supervisor can prevent.
	 */
	private static void corrupt(Path archive) throws IOException {
		Path copy = archive.resolveSibling(archive.getFileName() + ".corrupt");
		Files.copy(archive, copy);
		copy.toFile().setWritable(true);
		byte[] noise = new byte[4096];
		new Random(13).nextBytes(noise);
		try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
			file.seek(file.length() / 2);
			file.write(noise);
		}
		Files.move(copy, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
