package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Makes sure a directory whose files JVMs will load code from belongs to this user and no
 * one else can write to it: an archive planted by another user would run as ours.
 * Stateless.
 */
final class PrivateDirectory {

	private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
			PosixFilePermission.OTHERS_WRITE);

	private PrivateDirectory() {
	}

	/**
	 * Creates the directory (owner only) if it is missing.
	 * @return {@code null} if it is ours alone, else what is wrong with it
	 */
	static @Nullable String problem(Path directory) {
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		try {
			if (!Files.isDirectory(directory)) {
				if (posix) {
					Files.createDirectories(directory,
							PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
				}
				else {
					Files.createDirectories(directory);
				}
			}
			if (!posix) {
				return null;
			}
			String owner = Files.getOwner(directory).getName();
			if (!owner.equals(System.getProperty("user.name"))) {
				return "the cache directory " + directory + " belongs to " + owner;
			}
			if (Files.getPosixFilePermissions(directory).stream().anyMatch(OTHERS_WRITE::contains)) {
				return "others can write to the cache directory " + directory;
			}
			return null;
		}
		catch (IOException ex) {
			return "the cache directory " + directory + " cannot be used (" + ex + ")";
		}
	}

}
