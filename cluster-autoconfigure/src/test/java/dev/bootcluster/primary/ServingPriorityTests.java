package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ServingPriorityTests {

	@TempDir
	Path directory;

	@Test
	void theNiceValueIsReadAfterACommandNameWithSpacesAndParentheses() {
		String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 10 5 0 0 20 7 30 0 123 456 789";
		assertThat(ServingPriority.niceOf(stat)).isEqualTo(7);
		assertThat(ServingPriority.niceOf("garbage")).isZero();
		assertThat(ServingPriority.niceOf("1 (short) S 1")).isZero();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aServingProcessRunsNicerThanThePrimaryInEveryThreadButTheCompilersAndThoseItStartsLater() throws Exception {
		int primaryNice = ServingPriority.niceOf(Files.readString(Path.of("/proc/self/stat")));
		ServingPriority priority = new ServingPriority(7);
		int expected = Math.min(ServingPriority.NICEST, primaryNice + 7);
		assertThat(priority.target()).isEqualTo(expected);
		Path go = this.directory.resolve("go");
		Process child = startJvm(go);
		try {
			long pid = child.pid();
			await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(this.directory.resolve("started")));
			assertThat(nices(pid, false)).as("a process starts at the primary's nice value").containsOnly(primaryNice);
			int threadsBefore = nices(pid, false).size();
			priority.lower(pid);
			await().atMost(Duration.ofMinutes(1))
				.until(() -> nices(pid, false).stream().allMatch((nice) -> nice == expected));
			Files.writeString(go, "go");
			await().atMost(Duration.ofMinutes(1)).until(() -> nices(pid, false).size() > threadsBefore);
			assertThat(nices(pid, false)).as("a thread started later inherits it").containsOnly(expected);
			assertThat(nices(pid, true)).as("the JIT compiler's threads keep the primary's")
				.isNotEmpty()
				.containsOnly(primaryNice);
			priority.lowerEntirely(pid);
			await().atMost(Duration.ofMinutes(1))
				.until(() -> nices(pid, true).stream().allMatch((nice) -> nice == expected));
			assertThat(nices(pid, false)).as("background work, every thread").containsOnly(expected);
		}
		finally {
			child.destroyForcibly().waitFor();
		}
	}

	/**
	 * A JVM (many threads of its own) that says when it runs and starts one more thread
	 * once told to.
	 */
	private Process startJvm(Path go) throws IOException {
		Path source = Files.writeString(this.directory.resolve("Child.java"), """
				import java.nio.file.*;
				public class Child {
					public static void main(String[] args) throws Exception {
						Files.writeString(Path.of(args[0], "started"), "");
						while (!Files.exists(Path.of(args[0], "go"))) {
							Thread.sleep(50);
						}
						Thread later = new Thread(() -> {
							try { Thread.sleep(60_000); } catch (InterruptedException ex) { }
						});
						later.start();
						later.join();
					}
				}
				""", StandardCharsets.UTF_8);
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, source.toString(), this.directory.toString()).inheritIO().start();
	}

	/** The nice values of the JIT compiler's threads, or of the others. */
	private static List<Integer> nices(long pid, boolean compilers) throws IOException {
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			return tasks.map((task) -> {
				try {
					boolean compiler = Files.readString(task.resolve("comm")).matches("C\\d CompilerThre.*\\s*");
					return (compiler == compilers) ? ServingPriority.niceOf(Files.readString(task.resolve("stat")))
							: Integer.MIN_VALUE;
				}
				catch (IOException ex) {
					return Integer.MIN_VALUE;
				}
			}).filter((nice) -> nice != Integer.MIN_VALUE).toList();
		}
	}

}
