package dev.bootcluster.primary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Names one application version's directory in the boot cache: the jar's name, then a
 * hash of the jar's content, the JVM (version and home) and the JVM options that decide
 * whether an archive can be used (the collector, compressed pointers and object headers,
 * the heap's size, agents). Two clusters of the same jar on the same JVM share it; any
 * other change gets a directory of its own. Stateless.
 */
final class BootCacheKey {

	private BootCacheKey() {
	}

	/**
	 * The directory name for this jar run by this JVM with these options.
	 * @param jvm the JVM's version and home, as one string
	 */
	static String of(Path jar, String jvm, List<String> options) throws IOException {
		MessageDigest digest = sha256();
		try (InputStream in = Files.newInputStream(jar)) {
			byte[] buffer = new byte[64 * 1024];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				digest.update(buffer, 0, read);
			}
		}
		digest.update(("\0" + jvm).getBytes(StandardCharsets.UTF_8));
		for (String option : relevant(options)) {
			digest.update(("\0" + option).getBytes(StandardCharsets.UTF_8));
		}
		String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
		return name + "-" + HexFormat.of().formatHex(digest.digest(), 0, 12);
	}

	/**
	 * The options that change what an archive holds or whether a JVM accepts it: every
	 * {@code -XX:} option but the heap share the primary gives each worker, the heap's
	 * maximum, preview features and agents; not system properties, logging or debugging.
	 */
	static List<String> relevant(List<String> options) {
		return options.stream()
			.filter((option) -> (option.startsWith("-XX:") && !option.startsWith("-XX:MaxRAMPercentage="))
					|| option.startsWith("-Xmx") || option.equals("--enable-preview")
					|| option.startsWith("-javaagent:"))
			.toList();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
