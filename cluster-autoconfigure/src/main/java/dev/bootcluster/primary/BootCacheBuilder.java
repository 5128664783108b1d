package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Fills a {@link BootCache} with separate JVM runs of the java executable workers use:
 * extracts the jar with Spring Boot's {@code -Djarmode=tools}, trains the archive with a
 * run of the app that stops once its context is refreshed
 * ({@code -Dspring.context.exit=onRefresh}: beans are created, no web server starts, no
 * runner runs), and probes an archive with a JVM that must use it or refuse to start.
 * Each file is made under a temporary name and moved into place.
 * <p>
 * Threads: whichever thread calls it; it keeps no state.
 */
final class BootCacheBuilder {

	private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(5);

	private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(10);

	private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);

	private final String java;

	/** What it runs is background work, as nice as a serving worker. */
	private final ServingPriority priority;

	BootCacheBuilder(String java, ServingPriority priority) {
		this.java = java;
		this.priority = priority;
	}

	/**
	 * Extracts {@code source} into the cache's layout, unless another cluster did first.
	 * @param version the stamp of the jar the cache is for: a jar replaced meanwhile is
	 * not put in its place
	 * @return {@code null}, or why it failed
	 */
	@Nullable String extract(BootCache cache, Path source, FileStamp version) throws IOException, InterruptedException {
		Path temporary = Files.createTempDirectory(cache.directory(), "app-");
		try {
			int exit = run(List.of(this.java, "-Djarmode=tools", "-jar", source.toString(), "extract", "--destination",
					temporary.toString()), cache.log(), EXTRACT_TIMEOUT);
			if (exit != 0) {
				return "the extraction (java -Djarmode=tools -jar " + source.getFileName() + " extract) ended with "
						+ exit + ", see " + cache.log();
			}
			if (!version.equals(FileStamp.of(source))) {
				return source + " was replaced while it was extracted";
			}
			try {
				Files.move(temporary, cache.layout(), StandardCopyOption.ATOMIC_MOVE);
			}
			catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
				// another cluster of the same version extracted it first
			}
			return null;
		}
		finally {
			BootCache.deleteTree(temporary);
		}
	}

	/**
	 * Trains the cache's archive with a run of the app from the extracted layout.
	 * @param options the JVM options workers get
	 * @param arguments the app's arguments
	 * @return {@code null}, or why it failed
	 */
	@Nullable String train(BootCache cache, List<String> options, List<String> arguments)
			throws IOException, InterruptedException {
		Path temporary = cache.directory().resolve(cache.archive().getFileName() + "." + ProcessHandle.current().pid());
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(options);
		command.addAll(List.of(cache.format().training(temporary), "-Dspring.context.exit=onRefresh",
				"-Dcluster.enabled=false", "-jar", cache.jar().toString()));
		command.addAll(arguments);
		try {
			int exit = run(command, cache.log(), TRAINING_TIMEOUT);
			if (exit != 0 || !Files.isRegularFile(temporary)) {
				return "the training run ended with " + exit + " and no archive, see " + cache.log();
			}
			Files.move(temporary, cache.archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return null;
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Starts a JVM that must map the cache's archive and check its checksums, or refuse
	 * to start.
	 * @param options the JVM options workers get that decide whether it is usable
	 * @return {@code null} if it was used, else the JVM's reason
	 */
	@Nullable String probe(BootCache cache, List<String> options) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(options);
		command.add(cache.format().use(cache.archive()));
		command.addAll(cache.format().required());
		command.addAll(List.of("-cp", cache.jar().toString(), "-version"));
		Path output = Files.createTempFile(cache.directory(), "probe-", ".log");
		try {
			int exit = run(command, output, PROBE_TIMEOUT);
			if (exit == 0) {
				return null;
			}
			List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
			String reason = lines.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty())
				.limit(2)
				.collect(Collectors.joining(" "));
			return reason.isEmpty() ? "the JVM ended with " + exit : reason;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private int run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		this.priority.lowerEntirely(process.pid());
		try {
			process.getOutputStream().close();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return -1;
			}
			return process.exitValue();
		}
		finally {
			process.destroyForcibly();
		}
	}

}
