package dev.bootcluster.channel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A cluster's private (0700) directory in the temporary directory,
 * {@code boot-cluster-<random>}: the control socket, the workers' hop sockets, the
 * primary's pid, the application's main class and the control token ({@code 0600}) that
 * {@code cluster.ctl} shows the primary: who can read it owns the cluster. A primary
 * removes its own as it stops; one killed with SIGKILL cannot, so each primary, as it
 * starts, removes those of its user's clusters it can prove dead: the pid in it is not
 * alive, and its control socket refuses connections (or is gone). A directory without a
 * pid file (a primary of an earlier version) counts as dead only when its control socket
 * exists and refuses; one with neither may be a primary starting now, and is left alone.
 * <p>
 * Threads: used once, by the thread that opens the {@link ControlServer}.
 */
final class RuntimeDirectory {

	private static final Log logger = LogFactory.getLog(RuntimeDirectory.class);

	static final String PREFIX = "boot-cluster-";

	static final String CONTROL_SOCKET = "control.sock";

	static final String PID_FILE = "primary.pid";

	static final String APPLICATION_FILE = "application";

	static final String TOKEN_FILE = "control.token";

	private static final SecureRandom random = new SecureRandom();

	private RuntimeDirectory() {
	}

	/**
	 * Removes the abandoned directories in {@code root}, then creates this primary's, for
	 * the application with the given main class.
	 */
	static Path create(Path root, String application) throws IOException {
		removeAbandoned(root);
		Path directory = Files.createTempDirectory(root, PREFIX,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		// Written before the control socket exists, so that no other primary (and no
		// cluster.ctl) ever sees it without them.
		byte[] token = new byte[32];
		random.nextBytes(token);
		Files.writeString(
				Files.createFile(directory.resolve(TOKEN_FILE),
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
				HexFormat.of().formatHex(token));
		Files.writeString(directory.resolve(APPLICATION_FILE), application);
		Files.writeString(directory.resolve(PID_FILE), Long.toString(ProcessHandle.current().pid()));
		return directory;
	}

	/** The control token of the cluster in {@code directory}. */
	static String controlToken(Path directory) throws IOException {
		return Files.readString(directory.resolve(TOKEN_FILE), StandardCharsets.US_ASCII).trim();
	}

	/**
	 * The clusters of this user in {@code root} whose primary is alive, whatever their
	 * application (a primary that predates {@code cluster.ctl} has none: it is left out).
	 */
	static List<ClusterRuntime> running(Path root) {
		List<ClusterRuntime> running = new ArrayList<>();
		try (DirectoryStream<Path> candidates = Files.newDirectoryStream(root, PREFIX + "*")) {
			for (Path candidate : candidates) {
				Long pid = pid(candidate.resolve(PID_FILE));
				Path application = candidate.resolve(APPLICATION_FILE);
				if (pid != null && Files.isReadable(application) && Files.exists(candidate.resolve(CONTROL_SOCKET))
						&& ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
					running.add(new ClusterRuntime(candidate, pid, Files.readString(application).trim()));
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not look for running clusters in " + root, ex);
		}
		return running;
	}

	/**
	 * Removes the directories in {@code root} of this user's clusters whose primary is
	 * gone.
	 */
	static List<Path> removeAbandoned(Path root) {
		List<Path> removed = new ArrayList<>();
		try (DirectoryStream<Path> candidates = Files.newDirectoryStream(root, PREFIX + "*")) {
			for (Path candidate : candidates) {
				if (abandoned(candidate) && remove(candidate)) {
					removed.add(candidate);
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not look for abandoned cluster directories in " + root, ex);
		}
		if (!removed.isEmpty()) {
			logger.info("Removed " + removed.size() + " runtime director" + (removed.size() == 1 ? "y" : "ies")
					+ " of clusters whose primary is gone (" + removed.get(0) + ((removed.size() > 1) ? ", …)" : ")"));
		}
		return removed;
	}

	private static boolean abandoned(Path directory) throws IOException {
		if (!Files.isDirectory(directory) || !Files.isWritable(directory) || !ownedByThisUser(directory)) {
			return false;
		}
		Path socket = directory.resolve(CONTROL_SOCKET);
		Long pid = pid(directory.resolve(PID_FILE));
		if (pid == null) {
			return Files.exists(socket) && refuses(socket);
		}
		if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
			return false;
		}
		return !Files.exists(socket) || refuses(socket);
	}

	private static boolean ownedByThisUser(Path directory) throws IOException {
		return Files.getOwner(directory).getName().equals(System.getProperty("user.name"));
	}

	/** The pid in the file; null when there is none, or it is not a pid. */
	private static @Nullable Long pid(Path file) {
		try {
			return Long.valueOf(Files.readString(file, StandardCharsets.US_ASCII).trim());
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	private static boolean refuses(Path socket) {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(socket));
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static boolean remove(Path directory) {
		try {
			delete(directory);
			return true;
		}
		catch (IOException ex) {
			logger.debug("Could not remove " + directory, ex);
			return false;
		}
	}

	/** Deletes the directory and the files in it (it holds no subdirectory). */
	static void delete(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(directory);
	}

}
