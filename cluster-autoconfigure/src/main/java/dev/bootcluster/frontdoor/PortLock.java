package dev.bootcluster.frontdoor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.jspecify.annotations.Nullable;

/**
 * The primary binds every public port with SO_REUSEPORT (so that a new primary can bind
 * it too during an upgrade, and, with the 'os' policy, the workers), and the kernel lets
 * every process of the same user bind it that way: a second cluster would bind it too and
 * silently take half the connections. So the primary holds an exclusive lock
 * ({@link FileChannel#tryLock()}) on a file named after the port, in a directory its
 * user's clusters share, for its whole life, taken before it binds; the kernel drops the
 * lock when the process ends, however it ends. One port, one lock, whatever the address:
 * a wildcard listener overlaps every address. The one process that may bind a locked port
 * is the new primary of an upgrade, when the holder is the primary it upgrades: it takes
 * the lock as soon as that one exits.
 * <p>
 * Threads: taken and released by the arbiter thread; an upgrade's new primary waits for
 * the lock on a thread of its own.
 */
final class PortLock implements Closeable {

	private final FileChannel file;

	private PortLock(FileChannel file) {
		this.file = file;
	}

	/**
	 * Takes the lock for {@code port}; if {@code predecessor} (the primary this one
	 * upgrades, or null) holds it, waits for it in the background instead.
	 * @throws PortInUseException if another cluster holds it
	 */
	static PortLock take(PublicPort port, @Nullable Long predecessor) throws IOException {
		Path path = directory().resolve("port-" + port.port() + ".lock");
		FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		try {
			FileLock lock = file.tryLock();
			if (lock == null) {
				String holder = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).trim();
				if (predecessor != null && holder.equals(predecessor.toString())) {
					awaitInBackground(file, port);
					return new PortLock(file);
				}
				throw new PortInUseException(port, new IOException(
						"Another cluster (pid " + holder + ") serves port " + port.port() + "; it holds " + path));
			}
			writePid(file);
			return new PortLock(file);
		}
		catch (OverlappingFileLockException ex) {
			file.close();
			throw new PortInUseException(port, new IOException("This process already serves port " + port.port()));
		}
		catch (IOException ex) {
			file.close();
			throw ex;
		}
	}

	/**
	 * Takes the lock once the primary upgraded has exited, on a daemon thread: closing
	 * the file ends the wait.
	 */
	private static void awaitInBackground(FileChannel file, PublicPort port) {
		Thread waiter = new Thread(() -> {
			try {
				file.lock();
				writePid(file);
			}
			catch (IOException ex) {
				// closed: this primary stopped first
			}
		}, "cluster-port-lock-" + port.port());
		waiter.setDaemon(true);
		waiter.start();
	}

	private static void writePid(FileChannel file) throws IOException {
		file.truncate(0)
			.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
	}

	/**
	 * {@code $XDG_RUNTIME_DIR/boot-cluster} (per user, cleared at logout), else
	 * {@code boot-cluster-<user>} in the temporary directory; private to the user.
	 */
	static Path directory() throws IOException {
		String runtime = System.getenv("XDG_RUNTIME_DIR");
		Path directory = (runtime != null && Files.isDirectory(Path.of(runtime))) ? Path.of(runtime, "boot-cluster")
				: Path.of(System.getProperty("java.io.tmpdir"), "boot-cluster-" + System.getProperty("user.name"));
		try {
			Files.createDirectory(directory,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (FileAlreadyExistsException ex) {
			if (!Files.getOwner(directory).getName().equals(System.getProperty("user.name"))) {
				throw new IOException(directory + " belongs to another user: remove it, or set XDG_RUNTIME_DIR", ex);
			}
		}
		return directory;
	}

	@Override
	public void close() throws IOException {
		this.file.close();
	}

}
