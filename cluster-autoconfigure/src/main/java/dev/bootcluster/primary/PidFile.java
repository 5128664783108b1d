package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's pid in the file {@code spring.pid.file} names, as Boot's
 * {@code ApplicationPidFileWriter} writes it, so that systemd's {@code PIDFile=} follows
 * the main process across an upgrade: the new primary replaces the file (an atomic move)
 * before it tells the old one to hand over, and a primary removes it as it exits only if
 * it still holds its own pid.
 * <p>
 * Threads: written by the arbiter thread, removed by the main thread as the primary ends.
 */
final class PidFile {

	private static final Log logger = LogFactory.getLog(PidFile.class);

	private final @Nullable Path path;

	private final String pid = Long.toString(ProcessHandle.current().pid());

	PidFile(@Nullable Path path) {
		this.path = path;
	}

	/** Writes this primary's pid, replacing the file whole; a failure is logged. */
	void write() {
		if (this.path == null) {
			return;
		}
		try {
			Path absolute = this.path.toAbsolutePath();
			Path parent = absolute.getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Path temporary = Files.createTempFile((parent != null) ? parent : Path.of("."), ".cluster-", ".pid");
			Files.writeString(temporary, this.pid);
			Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			logger.warn("Could not write the primary's pid to " + this.path + " (spring.pid.file)", ex);
		}
	}

	/** Removes the file if it holds this primary's pid: a new primary's stays. */
	void removeIfOwn() {
		if (this.path == null) {
			return;
		}
		try {
			if (Files.isRegularFile(this.path) && Files.readString(this.path).trim().equals(this.pid)) {
				Files.delete(this.path);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not remove " + this.path, ex);
		}
	}

}
