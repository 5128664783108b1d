package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One application version's directory in the boot cache: the jar extracted into a layout
 * the JVM can archive ({@code app/}: the jar and {@code lib/}, its class path in its
 * manifest) and the archive trained on it. Clusters of the same version share the
 * directory, so each file is written under a name of its own and moved into place.
 * Stateless.
 */
record BootCache(Path directory, String jarName, ArchiveFormat format) {

	/** The extracted layout's jar, which workers start with {@code -jar}. */
	Path jar() {
		return layout().resolve(this.jarName);
	}

	Path layout() {
		return this.directory.resolve("app");
	}

	Path archive() {
		return this.directory.resolve(this.format.fileName());
	}

	/** Where the extraction and the training runs write their output. */
	Path log() {
		return this.directory.resolve("training.log");
	}

	/** Held by the one process that trains this version's archive. */
	Path lock() {
		return this.directory.resolve("training.lock");
	}

	boolean hasLayout() {
		return Files.isRegularFile(jar());
	}

	boolean hasArchive() {
		return Files.isRegularFile(archive());
	}

	/** What a worker launches instead of the original {@code -jar} and its arguments. */
	List<String> launch(List<String> arguments) {
		List<String> launch = new ArrayList<>(List.of(this.format.use(archive()), "-jar", jar().toString()));
		launch.addAll(arguments);
		return launch;
	}

	/** Removes the archive (refused, or corrupt), so that a new one is trained. */
	void removeArchive() throws IOException {
		Files.deleteIfExists(archive());
	}

}
