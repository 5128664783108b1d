package dev.bootcluster.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TestClassPathTests {

	@TempDir
	Path directory;

	@Test
	void aManifestOnlyJarIsReplacedByWhatItLists() throws IOException {
		Path booter = jar("booter.jar", "lib/a.jar " + this.directory.resolve("classes").toUri(), false);
		assertThat(TestClassPath.of(booter.toString()))
			.isEqualTo(this.directory.resolve("lib/a.jar") + ":" + this.directory.resolve("classes"));
	}

	@Test
	void jarsWithClassesAndDirectoriesStayAsTheyAre() throws IOException {
		Path library = jar("library.jar", "other.jar", true);
		String classPath = this.directory.resolve("classes") + ":" + library;
		assertThat(TestClassPath.of(classPath)).isEqualTo(classPath);
	}

	@Test
	void thisJvmsClassPathNamesTheTestClasses() {
		assertThat(TestClassPath.current().split(":"))
			.anyMatch((entry) -> entry.endsWith("test-classes") || entry.endsWith("test-classes/"));
	}

	private Path jar(String name, String classPath, boolean withClass) throws IOException {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
		Path jar = this.directory.resolve(name);
		try (OutputStream file = Files.newOutputStream(jar);
				JarOutputStream out = new JarOutputStream(file, manifest)) {
			if (withClass) {
				out.putNextEntry(new ZipEntry("example/Example.class"));
				out.write(new byte[] { (byte) 0xCA, (byte) 0xFE });
				out.closeEntry();
			}
		}
		return jar;
	}

}
