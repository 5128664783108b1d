package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.jspecify.annotations.Nullable;

/**
 * What tells one version of a file from the next without reading it: its size, its
 * modification time and its identity (a file moved into place is a new file).
 */
record FileStamp(long size, long modifiedMillis, @Nullable Object fileKey) {

	/** The file's stamp now, or {@code null} if it cannot be read. */
	static @Nullable FileStamp of(Path file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			return new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
		}
		catch (IOException ex) {
			return null;
		}
	}

}
