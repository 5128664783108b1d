package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Makes a new "version" of the sample jar: the same jar with more lines appended to its
 * application.properties; or unpacks it for a class path launch. Entries keep their
 * compression method, since Spring Boot's launcher needs the nested jars stored, not
 * deflated.
 */
final class SampleJars {

	private static final String PROPERTIES = "BOOT-INF/classes/application.properties";

	private SampleJars() {
	}

	/**
	 * Unpacks the sample jar into {@code directory}.
	 * @return its class path for {@code java -cp}: the app's classes and its libraries
	 */
	static String explode(Path directory) throws IOException, InterruptedException {
		Files.createDirectories(directory);
		Process unpack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jar").toString(), "xf",
				Sample.JAR.toAbsolutePath().toString())
			.directory(directory.toFile())
			.inheritIO()
			.start();
		if (unpack.waitFor() != 0) {
			throw new IOException("jar xf " + Sample.JAR + " exited with " + unpack.exitValue());
		}
		return directory.resolve("BOOT-INF/classes") + ":" + directory.resolve("BOOT-INF/lib") + "/*";
	}

	static Path withProperties(Path target, String... lines) throws IOException {
		try (ZipFile source = new ZipFile(Sample.JAR.toFile());
				OutputStream file = Files.newOutputStream(target);
				ZipOutputStream out = new ZipOutputStream(file)) {
			Enumeration<? extends ZipEntry> entries = source.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				byte[] content;
				try (InputStream in = source.getInputStream(entry)) {
					content = in.readAllBytes();
				}
				if (entry.getName().equals(PROPERTIES)) {
					content = (new String(content, StandardCharsets.ISO_8859_1) + "\n" + String.join("\n", lines)
							+ "\n")
						.getBytes(StandardCharsets.ISO_8859_1);
				}
				ZipEntry copy = new ZipEntry(entry.getName());
				copy.setTime(entry.getTime());
				if (entry.getMethod() == ZipEntry.STORED) {
					CRC32 crc = new CRC32();
					crc.update(content);
					copy.setMethod(ZipEntry.STORED);
					copy.setSize(content.length);
					copy.setCompressedSize(content.length);
					copy.setCrc(crc.getValue());
				}
				out.putNextEntry(copy);
				out.write(content);
				out.closeEntry();
			}
		}
		return target;
	}

}
