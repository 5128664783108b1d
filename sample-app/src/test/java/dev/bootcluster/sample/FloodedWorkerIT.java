package dev.bootcluster.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary never blocks on a worker: a stopped worker that asked for the cluster's
 * status thousands of times and reads none of the answers fills its control channel; the
 * primary goes on supervising the others meanwhile, and replaces the stopped one once its
 * channel's queue overflows.
 */
class FloodedWorkerIT {

	@TempDir
	Path temp;

	@Test
	void aStoppedWorkerWithAFullChannelDoesNotStopSupervision() throws Exception {
		Path flood = Files.createDirectories(this.temp.resolve("flood"));
		List<String> jvm = new ArrayList<>(ClusterProcess.JVM_OPTIONS);
		jvm.add("-D" + FloodingWorker.DIRECTORY + "=" + flood);
		String classPath = Path.of(FloodingWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				+ ":" + SampleJars.explode(this.temp.resolve("exploded"));
		ClusterCommand command = ClusterCommand.classPath(classPath, FloodingWorker.class.getName())
			.jvmOptions(jvm.toArray(String[]::new))
			.workers(2)
			// The flooding worker never says READY: the slow start of the others must not
			// end it.
			.property("cluster.worker.ready-timeout", "5m");
		long flooding = -1;
		try (ClusterProcess cluster = command.start("flooded-worker")) {
			int port = cluster.port();
			cluster.awaitLine("Worker 2 \\(pid \\d+\\) ready in", Duration.ofSeconds(120));
			flooding = cluster.workerPid(1);
			long killed = cluster.workerPid(2);
			Files.createFile(flood.resolve(FloodingWorker.SIGNAL));
			long stopped = flooding;
			await().atMost(Duration.ofSeconds(60)).until(() -> isStopped(stopped) || !ClusterProcess.isAlive(stopped));
			ClusterProcess.signal(killed, "KILL");
			cluster.awaitLine("Worker 2 \\(pid " + killed + "\\) was killed by signal 9 \\(SIGKILL\\); restarting it",
					Duration.ofSeconds(30));
			cluster.awaitLine("Closed the control channel to pid " + flooding + ": it has not read the last \\d+ bytes "
					+ "sent to it \\(it is stopped or hung\\)", Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(30)).until(() -> !ClusterProcess.isAlive(stopped));
			await().atMost(Duration.ofSeconds(120))
				.until(() -> cluster.readyPids().stream().filter((pid) -> pid != killed).count() == 2);
			List<Long> serving = cluster.readyPids().stream().filter((pid) -> pid != killed).toList();
			assertThat(serving).doesNotContain(flooding, killed);
			List<Long> served = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				served.add(Http.get(port, "/").pid());
			}
			assertThat(served).containsOnly(serving.toArray(Long[]::new)).containsAll(serving);
		}
		finally {
			if (flooding != -1 && ClusterProcess.isAlive(flooding)) {
				ClusterProcess.signal(flooding, "KILL");
			}
		}
	}

	/** Whether the process is stopped (state T in {@code /proc/<pid>/stat}). */
	private static boolean isStopped(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

}
