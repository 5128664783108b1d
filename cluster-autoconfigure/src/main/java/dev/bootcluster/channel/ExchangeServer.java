package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The primary's end of the exchange: a second Unix domain socket in the cluster's private
 * directory, beside the control socket, for per-request data (sessions, messages between
 * workers). It is apart from the control channel so that no amount of data ever delays a
 * heartbeat or a stop. A worker proves itself with a {@link Frame.Kind#HELLO} frame
 * carrying its launch token, as on the control channel; then each request goes to the
 * {@link ExchangeService} its frame names.
 * <p>
 * Threads: one accept thread; per connection, a reader thread (which authenticates, then
 * calls the services, which may answer on it) and a writer thread. Never the arbiter's
 * thread.
 */
public final class ExchangeServer implements Closeable {

	private static final Log logger = LogFactory.getLog(ExchangeServer.class);

	/** The exchange's protocol version, said in each HELLO. */
	public static final int PROTOCOL_VERSION = 1;

	static final String SOCKET = "exchange.sock";

	private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration ACCEPT_PAUSE = Duration.ofMillis(200);

	private final ServerSocketChannel server;

	private final LaunchTokens tokens;

	private final Map<String, ExchangeService> services;

	private ExchangeServer(ServerSocketChannel server, LaunchTokens tokens, Map<String, ExchangeService> services) {
		this.server = server;
		this.tokens = tokens;
		this.services = Map.copyOf(services);
	}

	static ExchangeServer open(Path directory, LaunchTokens tokens, Map<String, ExchangeService> services)
			throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(directory.resolve(SOCKET)));
		ExchangeServer exchange = new ExchangeServer(server, tokens, services);
		Thread accepting = new Thread(exchange::acceptLoop, "cluster-exchange-accept");
		accepting.setDaemon(true);
		accepting.start();
		return exchange;
	}

	/**
	 * The exchange socket of the cluster whose control socket is {@code controlSocket}.
	 */
	public static Path socketBeside(Path controlSocket) {
		return controlSocket.resolveSibling(SOCKET);
	}

	private void acceptLoop() {
		boolean failing = false;
		while (this.server.isOpen()) {
			try {
				SocketChannel socket = this.server.accept();
				failing = false;
				FrameConnection connection = new FrameConnection(socket, "cluster-exchange");
				Authentication authentication = new Authentication();
				CompletableFuture.delayedExecutor(HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
					.execute(() -> authentication.timeOut(connection));
				connection.start(authentication);
			}
			catch (IOException ex) {
				if (!this.server.isOpen()) {
					return;
				}
				if (!failing) {
					failing = true;
					logger.warn("The exchange could not accept a worker's connection (" + ex + "); trying again");
				}
				try {
					Thread.sleep(ACCEPT_PAUSE.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	/**
	 * One connection's first frame must be a valid HELLO; then its requests go to
	 * services. Owned by the connection's reader thread.
	 */
	private final class Authentication implements FrameConnection.Receiver {

		private volatile boolean authenticated;

		void timeOut(FrameConnection connection) {
			if (!this.authenticated) {
				connection.close();
			}
		}

		@Override
		public void received(Frame frame, FrameConnection connection) throws InterruptedException {
			if (!this.authenticated) {
				hello(frame, connection);
				return;
			}
			if (frame.kind() == Frame.Kind.HELLO || frame.kind() == Frame.Kind.MESSAGE) {
				throw new MalformedFrameException("a " + frame.kind() + " frame from a worker that said HELLO");
			}
			ExchangeService service = ExchangeServer.this.services.get(frame.service());
			if (service == null) {
				connection.reply(frame.failure("the primary offers no service '" + frame.service() + "'"));
				return;
			}
			service.receive(frame, connection);
		}

		private void hello(Frame hello, FrameConnection connection) {
			if (hello.kind() != Frame.Kind.HELLO) {
				throw new MalformedFrameException("a " + hello.kind() + " frame before HELLO");
			}
			String refusal = refusal(hello);
			if (refusal != null) {
				logger.warn("Refused an exchange connection: " + refusal);
				connection.reply(hello.failure(refusal));
				connection.closed().completeOnTimeout(null, 1, TimeUnit.SECONDS).thenRun(connection::close);
				return;
			}
			int workerId;
			try {
				workerId = Integer.parseInt(hello.header(1));
			}
			catch (NumberFormatException ex) {
				throw new MalformedFrameException("a HELLO whose worker id is not a number");
			}
			this.authenticated = true;
			connection.peer("worker " + workerId + " (pid " + hello.header(2) + ")");
			connection.worker(workerId, Long.parseLong(hello.header(2)));
			connection.reply(hello.reply(List.of(), new byte[0]));
			ExchangeServer.this.services.values().forEach((service) -> service.connected(connection));
		}

		private @Nullable String refusal(Frame hello) {
			int version;
			long pid;
			try {
				version = Integer.parseInt(hello.header(0));
				pid = Long.parseLong(hello.header(2));
			}
			catch (NumberFormatException ex) {
				throw new MalformedFrameException("a HELLO whose version or pid is not a number");
			}
			if (version != PROTOCOL_VERSION) {
				return "it speaks version " + version + " of the exchange, this primary version " + PROTOCOL_VERSION;
			}
			String refusal = ExchangeServer.this.tokens.redeemForExchange(hello.header(3), pid, HELLO_TIMEOUT);
			return (refusal != null) ? "pid " + pid + ": " + refusal : null;
		}

		@Override
		public void closed(FrameConnection connection) {
			if (this.authenticated) {
				ExchangeServer.this.services.values().forEach((service) -> service.closed(connection));
			}
		}

	}

}
