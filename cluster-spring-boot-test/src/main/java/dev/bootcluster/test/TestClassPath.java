package dev.bootcluster.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path a forked JVM needs to run what this test JVM runs. It is
 * {@code java.class.path}, except that a manifest-only jar (a jar with no classes, only a
 * {@code Class-Path}) is replaced by the entries it lists, so that the command names the
 * real jars and directories, which outlive the test runner's temporary jar. Surefire and
 * Failsafe start their forks from such a jar ({@code surefire.real.class.path}) but set
 * {@code java.class.path} to the real class path; an IDE that shortens the command line
 * with a "JAR manifest" leaves the jar there. Stateless.
 */
final class TestClassPath {

	private TestClassPath() {
	}

	/** This JVM's class path, as {@code java -cp} takes it. */
	static String current() {
		return of(System.getProperty("java.class.path"));
	}

	static String of(String classPath) {
		List<String> entries = new ArrayList<>();
		for (String entry : classPath.split(File.pathSeparator)) {
			if (!entry.isEmpty()) {
				entries.addAll(expand(Path.of(entry)));
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	private static List<String> expand(Path entry) {
		if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
			return List.of(entry.toString());
		}
		try (JarFile jar = new JarFile(entry.toFile())) {
			Manifest manifest = jar.getManifest();
			String listed = (manifest != null) ? manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH)
					: null;
			boolean manifestOnly = jar.stream().allMatch((file) -> file.getName().startsWith("META-INF/"));
			if (listed == null || !manifestOnly) {
				return List.of(entry.toString());
			}
			// Class-Path entries are URLs relative to the jar's directory
			URI base = entry.toAbsolutePath().getParent().toUri();
			List<String> paths = new ArrayList<>();
			for (String url : listed.trim().split("\\s+")) {
				paths.add(Path.of(base.resolve(url)).toString());
			}
			return paths;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read class path entry " + entry, ex);
		}
	}

}
