package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's end of the control channel: a Unix domain socket in a private (0700)
 * directory. A worker must say {@code HELLO} within a few seconds, in this protocol
 * version, with the one-time token the primary issued for its launch
 * ({@link #issueToken}), or it is disconnected. A control client ({@code cluster.ctl},
 * run by the cluster's owner on the same host) says {@code CONTROL} instead, with the
 * control token only the owner can read in the directory; it may then ask what the
 * endpoint asks (status, reload, restart, scale, upgrade) and nothing else: anything
 * else, or a wrong token, gets an {@code ERROR} and the connection closed. The accept
 * loop outlives any I/O error (too many open files): it pauses and tries again.
 * <p>
 * Threads: one accept thread, and one reader thread per worker or client. They only hand
 * what they read to the {@link Listener}, which must not block. Tokens are issued on the
 * arbiter thread.
 */
public final class ControlServer implements Closeable {

	private static final Log logger = LogFactory.getLog(ControlServer.class);

	private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The first pause after a failed accept; it doubles up to {@link #MAX_ACCEPT_PAUSE}.
	 */
	private static final Duration MIN_ACCEPT_PAUSE = Duration.ofMillis(100);

	private static final Duration MAX_ACCEPT_PAUSE = Duration.ofSeconds(1);

	/** What a control client may ask: what the endpoint asks. */
	private static final Set<Message.Type> CLIENT_REQUESTS = EnumSet.of(Message.Type.QUERY, Message.Type.RELOAD,
			Message.Type.RESTART, Message.Type.SCALE, Message.Type.UPGRADE);

	/** How long a refused client gets to read why. */
	private static final Duration REFUSAL_FLUSH = Duration.ofSeconds(1);

	private final Path directory;

	private final Path socketPath;

	private final ServerSocketChannel server;

	private final Acceptor acceptor;

	private final LaunchTokens tokens = new LaunchTokens();

	private final Listener listener;

	private final String controlToken;

	private ControlServer(Path directory, ServerSocketChannel server, Acceptor acceptor, Listener listener,
			String controlToken) {
		this.directory = directory;
		this.controlToken = controlToken;
		this.socketPath = directory.resolve(RuntimeDirectory.CONTROL_SOCKET);
		this.server = server;
		this.acceptor = acceptor;
		this.listener = listener;
	}

	/**
	 * Opens the control channel of the cluster of {@code application} (its main class, as
	 * {@code cluster.ctl} finds it).
	 */
	public static ControlServer open(Listener listener, String application) throws IOException {
		return open(listener, application, ServerSocketChannel::accept);
	}

	/** Opens a server whose accept thread takes connections with {@code acceptor}. */
	static ControlServer open(Listener listener, String application, Acceptor acceptor) throws IOException {
		Path directory = RuntimeDirectory.create(Path.of(System.getProperty("java.io.tmpdir")), application);
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		ControlServer control = new ControlServer(directory, server, acceptor, listener,
				RuntimeDirectory.controlToken(directory));
		server.bind(UnixDomainSocketAddress.of(control.socketPath));
		Thread accepting = new Thread(control::acceptLoop, "cluster-channel-accept");
		accepting.setDaemon(true);
		accepting.start();
		return control;
	}

	public Path socketPath() {
		return this.socketPath;
	}

	/**
	 * A new one-time token for a worker about to be launched; tell the server its pid
	 * with {@link #launched}, or that it could not be started with {@link #abandoned}.
	 */
	public String issueToken() {
		return this.tokens.issue();
	}

	/** The worker given {@code token} was forked as {@code process}. */
	public void launched(String token, ProcessHandle process) {
		this.tokens.launched(token, process);
	}

	/** The worker given {@code token} could not be forked. */
	public void abandoned(String token) {
		this.tokens.abandoned(token);
	}

	/**
	 * Accepts until the server is closed. A failed accept (EMFILE, ENFILE, ENOMEM) is
	 * most likely over soon: pause, try again, and warn once per episode, not per try.
	 */
	private void acceptLoop() {
		int failures = 0;
		while (this.server.isOpen()) {
			SocketChannel socket;
			try {
				socket = this.acceptor.accept(this.server);
			}
			catch (IOException ex) {
				if (!this.server.isOpen()) {
					return;
				}
				if (failures++ == 0) {
					logger.warn("The control channel could not accept a worker's connection (" + ex
							+ "); trying again until it can");
				}
				if (!pause(failures)) {
					return;
				}
				continue;
			}
			if (failures > 0) {
				logger.info("The control channel accepts workers' connections again, after " + failures
						+ " failed attempt(s)");
				failures = 0;
			}
			Thread reader = new Thread(() -> serve(new Channel(socket)), "cluster-channel-reader");
			reader.setDaemon(true);
			reader.start();
		}
	}

	/** Sleeps after the given number of failed accepts; {@code false} if interrupted. */
	private static boolean pause(int failures) {
		long millis = Math.min(MIN_ACCEPT_PAUSE.toMillis() << Math.min(failures - 1, 10), MAX_ACCEPT_PAUSE.toMillis());
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void serve(Channel channel) {
		AtomicBoolean authenticated = new AtomicBoolean();
		CompletableFuture.delayedExecutor(HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
			if (!authenticated.get()) {
				channel.close();
			}
		});
		long pid = -1;
		try {
			Message hello = channel.read();
			if (hello != null && hello.type() == Message.Type.CONTROL) {
				serveClient(channel, hello, authenticated);
				return;
			}
			if (hello == null || hello.type() != Message.Type.HELLO) {
				logger.warn("Closed a control connection that did not say HELLO first");
				return;
			}
			int version = hello.intField(0);
			if (version != Message.PROTOCOL_VERSION) {
				refuseVersion(channel, hello, version);
				return;
			}
			long claimed = hello.requireFields(4).longField(2);
			String refusal = this.tokens.redeem(hello.field(3), claimed, HELLO_TIMEOUT);
			if (refusal != null) {
				logger.warn("Closed a control connection from pid " + claimed + ": " + refusal);
				return;
			}
			authenticated.set(true);
			pid = claimed;
			channel.peer("pid " + pid);
			this.listener.connected(pid, channel);
			for (Message message = channel.read(); message != null; message = channel.read()) {
				this.listener.received(pid, message);
			}
		}
		catch (MalformedMessageException ex) {
			logger.warn("Closed a control connection: " + ex.getMessage());
		}
		catch (IOException ex) {
			// a broken connection ends like a closed one
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			channel.close();
			if (pid != -1) {
				this.listener.closed(pid);
			}
		}
	}

	/**
	 * Serves a control client: its token must be the one in the owner-only file, and each
	 * request one the endpoint could make. The arbiter answers on the client's channel.
	 */
	private void serveClient(Channel channel, Message hello, AtomicBoolean authenticated)
			throws IOException, InterruptedException {
		long pid = -1;
		try {
			String refusal = refusal(hello);
			if (refusal != null) {
				logger.warn("Refused a cluster.ctl connection: " + refusal);
				refuseClient(channel, refusal);
				return;
			}
			pid = hello.longField(2);
			authenticated.set(true);
			channel.peer("cluster.ctl (pid " + pid + ")");
			for (Message request = channel.read(); request != null; request = channel.read()) {
				if (!CLIENT_REQUESTS.contains(request.type())) {
					throw new MalformedMessageException(request, "is not a request cluster.ctl may make");
				}
				this.listener.request(pid, channel, request);
			}
		}
		catch (MalformedMessageException ex) {
			logger.warn("Closed a cluster.ctl connection" + ((pid != -1) ? " (pid " + pid + ")" : "") + ": "
					+ ex.getMessage());
			refuseClient(channel, ex.getMessage());
		}
	}

	/** Why a client's {@code CONTROL} is refused, or {@code null} if it is not. */
	private @Nullable String refusal(Message hello) {
		int version = hello.intField(0);
		if (version != Message.PROTOCOL_VERSION) {
			return "it speaks version " + version + " of the control protocol, this primary version "
					+ Message.PROTOCOL_VERSION + " (run the same jar as the cluster)";
		}
		boolean owner = MessageDigest.isEqual(hello.requireFields(3).field(1).getBytes(StandardCharsets.UTF_8),
				this.controlToken.getBytes(StandardCharsets.UTF_8));
		return owner ? null : "its control token is not this cluster's";
	}

	private static void refuseClient(Channel channel, @Nullable String why) throws InterruptedException {
		try {
			channel.send(Message.of(Message.Type.ERROR, "Refused by the cluster's primary: " + why));
			channel.flush(REFUSAL_FLUSH);
		}
		catch (IOException ex) {
			// it has gone already
		}
	}

	/**
	 * Tells a worker of another protocol version why it is refused, tells the listener
	 * (with the pid the worker claims, -1 if it claims none a number), and waits for it
	 * to hang up (it exits as a worker that cannot boot) or for the HELLO timeout.
	 */
	private void refuseVersion(Channel channel, Message hello, int version) throws IOException {
		String error = "This worker speaks version " + version + " of the cluster's control protocol and its primary "
				+ "version " + Message.PROTOCOL_VERSION + ": a worker must run the same version of Boot Cluster as "
				+ "its primary (upgrade the primary, not a reload, to change it: its log says how)";
		long claimed = (hello.fields().size() > 2 && hello.field(2).matches("[0-9]{1,18}"))
				? Long.parseLong(hello.field(2)) : -1;
		this.listener.refused(claimed, "it speaks version " + version
				+ " of the control protocol, this primary version " + Message.PROTOCOL_VERSION);
		channel.send(Message.of(Message.Type.ERROR, error));
		while (channel.read() != null) {
			// nothing it says counts now
		}
	}

	/**
	 * Opens the exchange beside the control socket, with {@code services} by name; its
	 * connections prove themselves with the same launch tokens.
	 */
	public ExchangeServer openExchange(Map<String, ExchangeService> services) throws IOException {
		return ExchangeServer.open(this.directory, this.tokens, services);
	}

	/** The cluster's private directory, where workers' hop sockets live too. */
	public Path directory() {
		return this.directory;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		// The control socket, the pid, and the hop socket of any worker that was killed.
		RuntimeDirectory.delete(this.directory);
	}

	/**
	 * Receives what workers say. Called on reader threads: implementations hand over and
	 * return.
	 */
	public interface Listener {

		void connected(long pid, Channel channel);

		void received(long pid, Message message);

		void closed(long pid);

		/**
		 * A worker that claims {@code pid} (-1: none) was refused for {@code reason}: its
		 * starter speaks another protocol version.
		 */
		void refused(long pid, String reason);

		/**
		 * A control client ({@code cluster.ctl}, its {@code pid}) asks {@code request}, a
		 * {@code QUERY}, {@code RELOAD}, {@code RESTART}, {@code SCALE} or
		 * {@code UPGRADE}: the answer goes to {@code client}.
		 */
		void request(long pid, Channel client, Message request);

	}

	/** How the accept thread takes the next connection. */
	@FunctionalInterface
	interface Acceptor {

		SocketChannel accept(ServerSocketChannel server) throws IOException;

	}

}
