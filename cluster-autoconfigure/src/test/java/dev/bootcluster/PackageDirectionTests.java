package dev.bootcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the packages pointing one way, by reading the sources: {@code autoconfigure}
 * binds properties and wires everything; the primary gets plain settings; the worker
 * never loads the front door; the channel's vocabulary and the public API's annotations
 * and events ({@code scheduling}, {@code membership}) depend on nothing; the command line
 * ({@code ctl}) only speaks the channel; HTTP and actuator paths are {@code actuate}'s.
 */
class PackageDirectionTests {

	private static final Path SOURCES = Path.of("src/main/java/dev/bootcluster");

	/** What each package may use besides itself. */
	private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(Map.entry("channel", Set.of()),
			Map.entry("frontdoor", Set.of()), Map.entry("primary", Set.of("channel", "frontdoor")),
			Map.entry("worker", Set.of("channel", "scheduling", "membership")),
			Map.entry("messaging", Set.of("channel")), Map.entry("cache", Set.of("messaging")),
			Map.entry("actuate", Set.of("channel", "worker")), Map.entry("scheduling", Set.of()),
			Map.entry("membership", Set.of()), Map.entry("ctl", Set.of("channel")),
			Map.entry("autoconfigure", Set.of("channel", "frontdoor", "primary", "worker", "messaging", "cache",
					"actuate", "scheduling", "membership", "ctl")));

	private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.bootcluster\\.(\\w+)\\.");

	@Test
	void everyPackageUsesOnlyThePackagesItMay() throws IOException {
		List<String> violations = new ArrayList<>();
		for (Path file : sources()) {
			String from = SOURCES.relativize(file).getName(0).toString();
			assertThat(ALLOWED).as("packages known to this test").containsKey(from);
			Matcher reference = REFERENCE.matcher(Files.readString(file));
			while (reference.find()) {
				String to = reference.group(1);
				if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
					violations.add(SOURCES.relativize(file) + " uses dev.bootcluster." + to);
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void onlyActuateNamesActuatorPaths() throws IOException {
		List<String> violations = new ArrayList<>();
		for (Path file : sources()) {
			String from = SOURCES.relativize(file).getName(0).toString();
			if (!Set.of("actuate", "autoconfigure").contains(from) && Files.readString(file).contains("/actuator/")) {
				violations.add(SOURCES.relativize(file).toString());
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void theScanSeesEveryPackage() throws IOException {
		assertThat(sources().stream().map((file) -> SOURCES.relativize(file).getName(0).toString()).distinct())
			.containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
	}

	private static List<Path> sources() throws IOException {
		try (Stream<Path> files = Files.walk(SOURCES)) {
			return files.filter((file) -> file.toString().endsWith(".java")).toList();
		}
	}

}
