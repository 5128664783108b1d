package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * One application version's directory in the boot cache: the jar extracted into a layout
 * the JVM can archive ({@code app/}: the jar and {@code lib/}, its class path in its
 * manifest) and the archive trained on it. Clusters of the same version share the
 * directory, so each file is written under a name of its own and moved into place; each
 * primary whose workers may start from it holds a shared lock on its in-use file, so that
 * a primary done with the version removes it only when no other uses it. Stateless.
 */
record BootCache(Path directory, String jarName, ArchiveFormat format) {

	private static final String IN_USE = "in-use.lock";

	private static final String TRAINING = "training.lock";

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
		return this.directory.resolve(TRAINING);
	}

	/**
	 * Marks the version in use by this process for as long as the returned channel is
	 * open (a shared lock).
	 * @return the channel, or {@code null} when another process is removing the version
	 */
	@Nullable FileChannel use() throws IOException {
		FileChannel channel = FileChannel.open(this.directory.resolve(IN_USE), StandardOpenOption.CREATE,
				StandardOpenOption.READ, StandardOpenOption.WRITE);
		if (channel.tryLock(0, Long.MAX_VALUE, true) == null) {
			channel.close();
			return null;
		}
		return channel;
	}

	/**
	 * Removes a version's directory unless another process uses it or trains in it.
	 * @return whether it was removed
	 */
	static boolean removeUnlessUsed(Path directory) throws IOException {
		try (FileChannel using = FileChannel.open(directory.resolve(IN_USE), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
				FileLock unused = using.tryLock();
				FileChannel training = FileChannel.open(directory.resolve(TRAINING), StandardOpenOption.CREATE,
						StandardOpenOption.WRITE);
				FileLock idle = training.tryLock()) {
			if (unused == null || idle == null) {
				return false;
			}
			deleteTree(directory);
			return true;
		}
		catch (OverlappingFileLockException ex) {
			// this process marked it in use again meanwhile
			return false;
		}
	}

	/** Deletes a directory and everything in it, if it exists. */
	static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
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
