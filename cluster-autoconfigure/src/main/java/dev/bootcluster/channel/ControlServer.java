package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The primary's end of the control channel: a Unix domain socket in a private (0700)
 * directory. A worker must say {@code HELLO} with the cluster's secret within a few
 * seconds, or it is disconnected.
 * <p>
 * Threads: one accept thread, and one reader thread per worker. They only hand what they
 * read to the {@link Listener}, which must not block.
 */
public final class ControlServer implements Closeable {

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private static final long HELLO_TIMEOUT_SECONDS = 10;

	private final Path directory;

	private final Path socketPath;

	private final ServerSocketChannel server;

	private final String secret;

	private final Listener listener;

	private ControlServer(Path directory, ServerSocketChannel server, String secret, Listener listener) {
		this.directory = directory;
		this.socketPath = directory.resolve("control.sock");
		this.server = server;
		this.secret = secret;
		this.listener = listener;
	}

	public static ControlServer open(Listener listener) throws IOException {
		Path directory = Files.createTempDirectory("boot-cluster-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		ControlServer control = new ControlServer(directory, server, HexFormat.of().formatHex(secret), listener);
		server.bind(UnixDomainSocketAddress.of(control.socketPath));
		Thread acceptor = new Thread(control::acceptLoop, "cluster-channel-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return control;
	}

	public Path socketPath() {
		return this.socketPath;
	}

	public String secret() {
		return this.secret;
	}

	private void acceptLoop() {
		while (this.server.isOpen()) {
			try {
				SocketChannel socket = this.server.accept();
				Thread reader = new Thread(() -> serve(new Channel(socket)), "cluster-channel-reader");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				if (this.server.isOpen()) {
					logger.warn("Control channel stopped accepting workers", ex);
				}
				return;
			}
		}
	}

	private void serve(Channel channel) {
		AtomicBoolean authenticated = new AtomicBoolean();
		CompletableFuture.delayedExecutor(HELLO_TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> {
			if (!authenticated.get()) {
				channel.close();
			}
		});
		long pid = -1;
		try {
			Message hello = channel.read();
			if (hello == null || hello.type() != Message.Type.HELLO || hello.fields().size() < 3
					|| !secretMatches(hello.field(2))) {
				logger.warn("Closed a control connection that did not authenticate as a worker");
				channel.close();
				return;
			}
			authenticated.set(true);
			pid = Long.parseLong(hello.field(1));
			this.listener.connected(pid, channel);
			for (Message message = channel.read(); message != null; message = channel.read()) {
				this.listener.received(pid, message);
			}
		}
		catch (IOException | NumberFormatException ex) {
			// a broken connection ends like a closed one
		}
		finally {
			channel.close();
			if (pid != -1) {
				this.listener.closed(pid);
			}
		}
	}

	private boolean secretMatches(String candidate) {
		return MessageDigest.isEqual(this.secret.getBytes(StandardCharsets.UTF_8),
				candidate.getBytes(StandardCharsets.UTF_8));
	}

	/** The cluster's private directory, where workers' hop sockets live too. */
	public Path directory() {
		return this.directory;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		// The control socket, and the hop socket of any worker that was killed.
		try (Stream<Path> files = Files.list(this.directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(this.directory);
	}

	/**
	 * Receives what workers say. Called on reader threads: implementations hand over and
	 * return.
	 */
	public interface Listener {

		void connected(long pid, Channel channel);

		void received(long pid, Message message);

		void closed(long pid);

	}

}
