package dev.bootcluster.primary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The boot-cache directories this primary's workers started from, or could have (a cache
 * found or trained), with the jar version each was made for and how many running workers
 * started from it. One whose version is no longer the jar's and that no worker runs from
 * any more is stale: after a reload to a new version, the old one's.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class BootCacheVersions {

	private final Map<Path, Version> versions = new LinkedHashMap<>();

	/**
	 * Workers may start from {@code directory}, made for the jar as of {@code jar}.
	 * @return whether it was new to this primary
	 */
	boolean known(Path directory, FileStamp jar) {
		return this.versions.putIfAbsent(directory, new Version(jar)) == null;
	}

	/** A worker started from {@code directory}. */
	void launched(Path directory) {
		Version version = this.versions.get(directory);
		if (version != null) {
			version.workers++;
		}
	}

	/** A worker that started from {@code directory} has ended. */
	void exited(Path directory) {
		Version version = this.versions.get(directory);
		if (version != null) {
			version.workers--;
		}
	}

	/**
	 * The directories of other versions than {@code currentJar}'s that no worker runs
	 * from, forgotten here: they are the caller's to remove.
	 * @param currentJar the jar's stamp now; {@code null} (unreadable) makes none stale
	 */
	List<Path> removeStale(@Nullable FileStamp currentJar) {
		List<Path> stale = new ArrayList<>();
		if (currentJar == null) {
			return stale;
		}
		this.versions.forEach((directory, version) -> {
			if (version.workers <= 0 && !version.jar.equals(currentJar)) {
				stale.add(directory);
			}
		});
		stale.forEach(this.versions::remove);
		return stale;
	}

	private static final class Version {

		private final FileStamp jar;

		private int workers;

		Version(FileStamp jar) {
			this.jar = jar;
		}

	}

}
