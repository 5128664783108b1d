package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Like Gunicorn's reload-leak test: ten rolling reloads leave the primary with no more
 * threads and open file descriptors than it had before them. Ten, not Gunicorn's twenty:
 * a leak per reload shows as ten after ten, and each reload boots a JVM.
 */
class ReloadLeakIT {

	@Test
	void tenReloadsLeaveNoThreadOrFileDescriptorBehind() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(1).start("reload-leak")) {
			int port = cluster.awaitReady(1);
			// The first reload creates what every later one reuses (the JDK's process
			// reaper, say).
			reload(cluster, port, 1);
			Counts before = Counts.of(cluster.pid());
			for (int reload = 2; reload <= 11; reload++) {
				reload(cluster, port, reload);
			}
			// Threads the JDK pools for a child process's exit end after a minute idle.
			await("threads and file descriptors back").atMost(Duration.ofMinutes(3))
				.until(() -> Counts.of(cluster.pid()).noMoreThan(before));
			System.out.println("primary before 10 reloads: " + before + "; after: " + Counts.of(cluster.pid()));
			assertThat(Http.get(port, "/").status()).isEqualTo(200);
		}
	}

	private static void reload(ClusterProcess cluster, int port, int number) throws IOException {
		assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
		assertThat(cluster.awaitReloadEnd("reload-" + number, Duration.ofMinutes(3)).state()).isEqualTo("SUCCEEDED");
		// Its old worker has exited, so what it held is released.
		cluster.awaitState("reload-" + number + ": the new worker alone", (state) -> state.workers().size() == 1,
				Duration.ofSeconds(60));
	}

	private record Counts(long threads, long fileDescriptors) {

		static Counts of(long pid) throws IOException {
			Path proc = Path.of("/proc", Long.toString(pid));
			try (Stream<Path> tasks = Files.list(proc.resolve("task"));
					Stream<Path> fds = Files.list(proc.resolve("fd"))) {
				return new Counts(tasks.count(), fds.count());
			}
		}

		boolean noMoreThan(Counts other) {
			return this.threads <= other.threads && this.fileDescriptors <= other.fileDescriptors;
		}

		@Override
		public String toString() {
			return this.threads + " threads, " + this.fileDescriptors + " file descriptors";
		}

	}

}
