package dev.bootcluster.frontdoor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The front door relaying real sockets to stand-in workers: echo servers that first say
 * their name.
 */
class FrontDoorTests {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private FrontDoor frontDoor;

	@AfterEach
	void closeAll() throws Exception {
		if (this.frontDoor != null) {
			this.frontDoor.close();
		}
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void connectionsTakeTurnsOverReadyWorkers() throws Exception {
		int port = open(Duration.ofSeconds(5));
		this.frontDoor.route(List.of(backend(1, echoServer("one")), backend(2, echoServer("two"))));
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			names.add(exchange(port, new byte[0]).name);
		}
		assertThat(names).containsExactly("one", "two", "one", "two", "one", "two");
	}

	@Test
	void aWorkerThatRefusesIsSkippedBeforeTheClientNotices() throws Exception {
		int port = open(Duration.ofSeconds(5));
		this.frontDoor.route(List.of(backend(1, deadPort()), backend(2, echoServer("alive"))));
		for (int i = 0; i < 6; i++) {
			assertThat(exchange(port, "ping".getBytes(StandardCharsets.UTF_8)).name).isEqualTo("alive");
		}
	}

	@Test
	void withNoReadyWorkerAConnectionWaitsForOne() throws Exception {
		int port = open(Duration.ofSeconds(10));
		CompletableFuture<Exchange> waiting = CompletableFuture.supplyAsync(() -> exchangeUnchecked(port));
		assertThat(waiting).isNotDone();
		this.frontDoor.route(List.of(backend(1, echoServer("late"))));
		assertThat(waiting.get(10, TimeUnit.SECONDS).name).isEqualTo("late");
	}

	@Test
	void aConnectionThatWaitedTooLongIsClosed() throws Exception {
		int port = open(Duration.ofMillis(300));
		long started = System.nanoTime();
		Exchange exchange = exchange(port, new byte[0]);
		assertThat(exchange.name).isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250),
				Duration.ofSeconds(5));
	}

	@Test
	void anHttpRequestThatWaitedTooLongGetsServiceUnavailable() throws Exception {
		int port = open(Duration.ofMillis(300));
		Exchange exchange = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		String response = exchange.name + "\n" + new String(exchange.echoed, StandardCharsets.US_ASCII);
		assertThat(response).startsWith("HTTP/1.1 503 Service Unavailable\r")
			.contains("Retry-After: ")
			.contains("Connection: close");
	}

	@Test
	void somethingElseThatWaitedTooLongIsClosed() throws Exception {
		int port = open(Duration.ofMillis(300));
		Exchange exchange = exchange(port, new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05 });
		assertThat(exchange.name).isEmpty();
		assertThat(exchange.echoed).isEmpty();
	}

	@Test
	void largeTransfersPassWhole() throws Exception {
		int port = open(Duration.ofSeconds(5));
		this.frontDoor.route(List.of(backend(1, echoServer("big"))));
		byte[] payload = new byte[8 * 1024 * 1024];
		new Random(42).nextBytes(payload);
		Exchange exchange = exchange(port, payload);
		assertThat(exchange.name).isEqualTo("big");
		assertThat(exchange.echoed).isEqualTo(payload);
	}

	@Test
	void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
		int port = open(Duration.ofSeconds(5), Duration.ofMillis(500));
		this.frontDoor.route(List.of(backend(1, echoServer("quiet"))));
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			socket.setSoTimeout(10_000);
			InputStream in = socket.getInputStream();
			assertThat(new String(in.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("quiet\n");
			long silentSince = System.nanoTime();
			assertThat(in.read()).as("closed by the front door").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isBetween(Duration.ofMillis(400),
					Duration.ofSeconds(5));
		}
	}

	@Test
	void connectionsAreCountedPerWorker() throws Exception {
		int port = open(Duration.ofSeconds(5));
		Backend backend = backend(1, echoServer("counted"));
		this.frontDoor.route(List.of(backend));
		exchange(port, new byte[0]);
		exchange(port, new byte[0]);
		assertThat(backend.totalConnections()).isEqualTo(2);
	}

	@Test
	void aboveMaxConnectionsANewConnectionWaitsInTheBacklogUntilOneCloses() throws Exception {
		int port = open(Duration.ofSeconds(30), Duration.ofMinutes(5), 2);
		this.frontDoor.route(List.of(backend(1, echoServer("capped"))));
		try (Socket first = connected(port); Socket second = connected(port); Socket third = connected(port)) {
			assertThat(readName(first)).isEqualTo("capped");
			assertThat(readName(second)).isEqualTo("capped");
			third.setSoTimeout(1000);
			assertThatExceptionOfType(SocketTimeoutException.class).as("not relayed: it waits in the backlog")
				.isThrownBy(() -> third.getInputStream().read());
			first.close();
			third.setSoTimeout(10_000);
			assertThat(readName(third)).isEqualTo("capped");
		}
	}

	@Test
	void withTheOsPolicyASecondFrontDoorOnTheSamePortIsRefusedUntilTheFirstCloses() throws Exception {
		List<PublicPort> anyPort = List.of(new PublicPort(PortKind.SERVER, InetAddress.getLoopbackAddress(), 0));
		this.frontDoor = FrontDoor.bind(anyPort, SchedulingPolicy.OS, Duration.ofSeconds(5), Duration.ofMinutes(5), 100,
				16 * 1024);
		List<PublicPort> samePort = this.frontDoor.ports();
		assertThatExceptionOfType(PortInUseException.class).isThrownBy(() -> FrontDoor.bind(samePort,
				SchedulingPolicy.OS, Duration.ofSeconds(5), Duration.ofMinutes(5), 100, 16 * 1024));
		this.frontDoor.close();
		this.frontDoor = FrontDoor.bind(samePort, SchedulingPolicy.OS, Duration.ofSeconds(5), Duration.ofMinutes(5),
				100, 16 * 1024);
		assertThat(this.frontDoor.ports()).isEqualTo(samePort);
	}

	@Test
	void aWorkerOnAUnixSocketWithAFullBacklogIsWaitedForNotSkipped() throws Exception {
		int port = open(Duration.ofSeconds(20));
		Path socket = Files.createTempDirectory("front-door-test").resolve("worker.sock");
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.closeables.add(() -> Files.deleteIfExists(socket));
		this.closeables.add(server);
		server.bind(UnixDomainSocketAddress.of(socket), 1);
		// Fill the backlog: the next connect fails at once (EAGAIN), where TCP would
		// wait.
		List<SocketChannel> queued = new ArrayList<>();
		while (true) {
			SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			this.closeables.add(channel);
			channel.configureBlocking(false);
			try {
				channel.connect(UnixDomainSocketAddress.of(socket));
				queued.add(channel);
			}
			catch (SocketException ex) {
				break;
			}
		}
		Backend worker = new Backend(1, 1001, Map.of(PortKind.SERVER, UnixDomainSocketAddress.of(socket)));
		this.frontDoor.route(List.of(worker));
		CompletableFuture<Exchange> waiting = CompletableFuture.supplyAsync(() -> exchangeUnchecked(port));
		// The front door has tried the full backlog at least twice: once, and once again.
		await().atMost(Duration.ofSeconds(10)).until(() -> worker.totalConnections() >= 2);
		assertThat(waiting).isNotDone();
		for (int i = 0; i < queued.size(); i++) {
			server.accept().close();
		}
		serveEcho(server, "unix");
		Exchange exchange = waiting.get(15, TimeUnit.SECONDS);
		assertThat(exchange.name).isEqualTo("unix");
	}

	@Test
	void anExtraPortIsRelayedAsPlainBytesNeverParsedAsHttp() throws Exception {
		int[] ports = openWithExtraPort(Duration.ofSeconds(5));
		int quiet = echoServer("one", false);
		this.frontDoor.route(List.of(backend(1, quiet, quiet)));
		// Framing that the HTTP port refuses with a 400 before any worker sees it.
		byte[] ambiguous = "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy"
			.getBytes(StandardCharsets.US_ASCII);
		assertThat(exchange(ports[0], ambiguous).name()).startsWith("HTTP/1.1 400 ");
		Exchange raw = exchange(ports[1], ambiguous);
		assertThat(raw.name() + "\n" + new String(raw.echoed(), StandardCharsets.US_ASCII))
			.isEqualTo(new String(ambiguous, StandardCharsets.US_ASCII));
	}

	@Test
	void aConnectionToAnExtraPortStaysOnItsRetiringWorkerWhichWaitsForIt() throws Exception {
		int[] ports = openWithExtraPort(Duration.ofSeconds(5));
		int oldServer = echoServer("old");
		Backend old = backend(1, oldServer, oldServer);
		this.frontDoor.route(List.of(old));
		try (Socket client = connected(ports[1])) {
			assertThat(readName(client)).isEqualTo("old");
			await().atMost(Duration.ofSeconds(10)).until(() -> old.requestsInFlight() == 1);
			old.retire();
			int newServer = echoServer("new");
			this.frontDoor.route(List.of(backend(2, newServer, newServer)));
			assertThat(exchange(ports[1], new byte[0]).name()).isEqualTo("new");
			client.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
			assertThat(readName(client)).as("echoed by the retiring worker").isEqualTo("still here");
			assertThat(old.requestsInFlight()).as("the open connection holds the old worker's retirement").isEqualTo(1);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> old.requestsInFlight() == 0);
	}

	@Test
	void aClientOfAnExtraPortThatWaitsInVainIsClosedNotAnswered() throws Exception {
		int[] ports = openWithExtraPort(Duration.ofMillis(500));
		byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		assertThat(exchange(ports[0], request).name()).startsWith("HTTP/1.1 503 ");
		Exchange raw = exchange(ports[1], request);
		assertThat(raw.name()).isEmpty();
		assertThat(raw.echoed()).isEmpty();
	}

	/** The server port and an extra port 'echo': their ports, in that order. */
	private int[] openWithExtraPort(Duration queueTimeout) throws IOException {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		this.frontDoor = FrontDoor.bind(
				List.of(new PublicPort(PortKind.SERVER, loopback, 0),
						new PublicPort(PortKind.extra("echo"), loopback, 0)),
				SchedulingPolicy.ROUND_ROBIN, queueTimeout, Duration.ofMinutes(5), 100, 16 * 1024);
		this.frontDoor.start();
		return this.frontDoor.ports().stream().mapToInt(PublicPort::port).toArray();
	}

	private static Backend backend(int id, int serverPort, int extraPort) {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		return new Backend(id, 1000 + id, Map.of(PortKind.SERVER, new InetSocketAddress(loopback, serverPort),
				PortKind.extra("echo"), new InetSocketAddress(loopback, extraPort)));
	}

	private int open(Duration queueTimeout) throws IOException {
		return open(queueTimeout, Duration.ofMinutes(5));
	}

	private int open(Duration queueTimeout, Duration idleTimeout) throws IOException {
		return open(queueTimeout, idleTimeout, 100);
	}

	private int open(Duration queueTimeout, Duration idleTimeout, int maxConnections) throws IOException {
		this.frontDoor = FrontDoor.bind(List.of(new PublicPort(PortKind.SERVER, InetAddress.getLoopbackAddress(), 0)),
				SchedulingPolicy.ROUND_ROBIN, queueTimeout, idleTimeout, maxConnections, 16 * 1024);
		this.frontDoor.start();
		return this.frontDoor.ports().get(0).port();
	}

	private static Backend backend(int id, int port) {
		return new Backend(id, 1000 + id,
				Map.of(PortKind.SERVER, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
	}

	private int deadPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A stand-in worker: says its name and a newline, then echoes until the client
	 * half-closes.
	 */
	private int echoServer(String name) throws IOException {
		return echoServer(name, true);
	}

	/** A stand-in worker that says its name first only if it {@code greets}. */
	private int echoServer(String name, boolean greets) throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.closeables.add(server);
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					Thread echo = new Thread(() -> {
						try (socket) {
							OutputStream out = socket.getOutputStream();
							if (greets) {
								out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
							}
							socket.getInputStream().transferTo(out);
						}
						catch (IOException ex) {
							// the test sees the result
						}
					});
					echo.setDaemon(true);
					echo.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		return server.getLocalPort();
	}

	/** Like {@link #echoServer}, on a channel already bound. */
	private static void serveEcho(ServerSocketChannel server, String name) {
		Thread acceptor = new Thread(() -> {
			while (server.isOpen()) {
				try (SocketChannel channel = server.accept()) {
					channel.write(ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.UTF_8)));
					ByteBuffer buffer = ByteBuffer.allocate(8192);
					while (channel.read(buffer.clear()) >= 0) {
						channel.write(buffer.flip());
					}
				}
				catch (IOException ex) {
					return;
				}
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private static Socket connected(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** The first line a stand-in worker says. */
	private static String readName(Socket socket) throws IOException {
		ByteArrayOutputStream name = new ByteArrayOutputStream();
		for (int b = socket.getInputStream().read(); b != '\n' && b >= 0; b = socket.getInputStream().read()) {
			name.write(b);
		}
		return name.toString(StandardCharsets.UTF_8);
	}

	private Exchange exchangeUnchecked(int port) {
		try {
			return exchange(port, new byte[0]);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Sends the payload while reading, half-closes, and reads everything back. */
	private static Exchange exchange(int port, byte[] payload) throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			socket.setSoTimeout(20_000);
			CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
				try {
					InputStream in = socket.getInputStream();
					ByteArrayOutputStream all = new ByteArrayOutputStream();
					in.transferTo(all);
					return all.toByteArray();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			socket.getOutputStream().write(payload);
			socket.shutdownOutput();
			byte[] bytes = received.get(30, TimeUnit.SECONDS);
			int newline = indexOf(bytes, (byte) '\n');
			if (newline < 0) {
				return new Exchange("", bytes);
			}
			byte[] echoed = new byte[bytes.length - newline - 1];
			System.arraycopy(bytes, newline + 1, echoed, 0, echoed.length);
			return new Exchange(new String(bytes, 0, newline, StandardCharsets.UTF_8), echoed);
		}
	}

	private static int indexOf(byte[] bytes, byte value) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

	private record Exchange(String name, byte[] echoed) {
	}

}
