package dev.bootcluster.frontdoor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Keep-alive clients of a worker that retires (a reload) keep their connection and lose
 * no request; clients of a worker that crashed are not given that care.
 */
class RetiringWorkerTests {

	private FrontDoor frontDoor;

	private FakeWorker a;

	private FakeWorker b;

	private Backend backendA;

	private Backend backendB;

	private int port;

	@BeforeEach
	void open() throws IOException {
		this.frontDoor = FrontDoor.bind(List.of(new PublicPort(PortKind.SERVER, InetAddress.getLoopbackAddress(), 0)),
				SchedulingPolicy.ROUND_ROBIN, Duration.ofSeconds(5), Duration.ofMinutes(5), 16 * 1024);
		this.frontDoor.start();
		this.port = this.frontDoor.ports().get(0).port();
		this.a = new FakeWorker("a");
		this.b = new FakeWorker("b");
		this.backendA = this.a.backend(1);
		this.backendB = this.b.backend(2);
		this.frontDoor.route(List.of(this.backendA));
	}

	@AfterEach
	void close() throws IOException {
		this.frontDoor.close();
		this.a.close();
		this.b.close();
	}

	@Test
	void theNextRequestOfAKeepAliveClientGoesToAReadyWorker() throws IOException {
		try (Client client = new Client(this.port)) {
			assertThat(client.get()).isEqualTo("a");
			retireA();
			assertThat(client.get()).isEqualTo("b");
			assertThat(client.get()).isEqualTo("b");
		}
	}

	@Test
	void anIdleConnectionTheRetiringWorkerClosesStaysOpenForTheClient() throws IOException {
		try (Client client = new Client(this.port)) {
			assertThat(client.get()).isEqualTo("a");
			retireA();
			this.a.closeAll();
			assertThat(client.get()).isEqualTo("b");
		}
	}

	@Test
	void aRequestTheRetiringWorkerClosesUnansweredIsSentAgain() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.holdRequests();
			client.send();
			this.a.awaitHeld(1);
			retireA();
			this.a.closeAll();
			assertThat(client.receive()).isEqualTo("b");
		}
	}

	@Test
	void aRequestACrashedWorkerClosesUnansweredFailsForTheClient() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.holdRequests();
			client.send();
			this.a.awaitHeld(1);
			this.frontDoor.route(List.of(this.backendB));
			this.a.closeAll();
			assertThatIOException().isThrownBy(client::receive);
		}
	}

	@Test
	void aClientThatAskedToCloseSeesTheClose() throws IOException {
		try (Client client = new Client(this.port)) {
			client.send("Connection: close\r\n");
			assertThat(client.receive()).isEqualTo("a");
			retireA();
			this.a.closeAll();
			assertThat(client.socket.getInputStream().read()).isEqualTo(-1);
		}
	}

	private void retireA() {
		this.backendA.retire();
		this.frontDoor.route(List.of(this.backendB));
	}

	/** Answers each request with its name; can hold requests unanswered, and close every connection. */
	private static final class FakeWorker implements AutoCloseable {

		private final String name;

		private final ServerSocket server;

		private final List<Socket> connections = new CopyOnWriteArrayList<>();

		private volatile boolean hold;

		private final List<Socket> held = new CopyOnWriteArrayList<>();

		FakeWorker(String name) throws IOException {
			this.name = name;
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(this::accept, "fake-worker-" + name);
			acceptor.setDaemon(true);
			acceptor.start();
		}

		Backend backend(int id) {
			return new Backend(id, 1000 + id, Map.of(PortKind.SERVER,
					new InetSocketAddress(InetAddress.getLoopbackAddress(), this.server.getLocalPort())));
		}

		void holdRequests() {
			this.hold = true;
		}

		void awaitHeld(int count) {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.held.size() >= count);
		}

		void closeAll() throws IOException {
			for (Socket connection : this.connections) {
				connection.close();
			}
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.connections.add(socket);
					Thread serve = new Thread(() -> serve(socket));
					serve.setDaemon(true);
					serve.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private void serve(Socket socket) {
			try {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				while (readRequest(in)) {
					if (this.hold) {
						this.held.add(socket);
						continue;
					}
					out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + this.name.length() + "\r\n\r\n" + this.name)
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
			}
			catch (IOException ex) {
				// the connection was closed
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			closeAll();
		}

	}

	/** Reads up to and including the blank line that ends a request's headers. */
	private static boolean readRequest(InputStream in) throws IOException {
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		for (int b = in.read(); b != -1; b = in.read()) {
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				return true;
			}
		}
		return false;
	}

	/** A keep-alive HTTP client on one socket. */
	private static final class Client implements AutoCloseable {

		private final Socket socket;

		Client(int port) throws IOException {
			this.socket = new Socket();
			this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			this.socket.setSoTimeout(10_000);
		}

		String get() throws IOException {
			send();
			return receive();
		}

		void send() throws IOException {
			send("");
		}

		void send(String headers) throws IOException {
			this.socket.getOutputStream()
				.write(("GET / HTTP/1.1\r\nHost: test\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
		}

		String receive() throws IOException {
			InputStream in = this.socket.getInputStream();
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int matched = 0;
			byte[] end = { '\r', '\n', '\r', '\n' };
			while (matched < 4) {
				int b = in.read();
				if (b == -1) {
					throw new IOException("Connection closed before a response");
				}
				head.write(b);
				matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			String headers = head.toString(StandardCharsets.US_ASCII);
			int length = Integer.parseInt(headers.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
			return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
