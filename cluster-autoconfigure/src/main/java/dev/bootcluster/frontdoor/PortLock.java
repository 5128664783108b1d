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

/**
 * With the 'os' policy the primary only reserves the server port with SO_REUSEPORT, and
 * the kernel lets every process of the same user bind it that way: a second cluster would
 * bind it too and silently take half the connections. So the primary holds an exclusive
 * lock ({@code flock}) on a file named after the port, in a directory its user's clusters
 * share, for its whole life; the kernel drops the lock when the process ends, however it
 * ends. One port, one lock, whatever the address: a wildcard listener overlaps every
 * address, so two 'os' clusters of one user on one port always share connections.
 * <p>
 * Threads: taken and released by the arbiter thread.
 */
final class PortLock implements Closeable {

	private final FileChannel file;

	private PortLock(FileChannel file) {
		this.file = file;
	}

	/**
	 * Takes the lock for {@code port}, as bound.
	 * @throws PortInUseException if another cluster holds it
	 */
	static PortLock take(PublicPort port) throws IOException {
		Path path = directory().resolve("os-port-" + port.port() + ".lock");
		FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		try {
			FileLock lock = file.tryLock();
			if (lock == null) {
				String holder = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).trim();
				throw new PortInUseException(port, new IOException("Another cluster with the 'os' policy (pid " + holder
						+ ") serves port " + port.port() + "; it holds " + path));
			}
			file.truncate(0)
				.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
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
