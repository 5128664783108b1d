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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
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
				SchedulingPolicy.ROUND_ROBIN, Duration.ofSeconds(5), Duration.ofMinutes(5), 100, 16 * 1024);
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
	void aClientLeftByARetiringWorkerWaitsAWholeQueueTimeoutForTheNext() throws Exception {
		try (Client client = new Client(this.port)) {
			assertThat(client.get()).isEqualTo("a");
			long connectedAt = System.nanoTime();
			// The connection gets older than the queue timeout (5 s) before it has to
			// wait.
			await().pollDelay(Duration.ofMillis(5500))
				.atMost(Duration.ofSeconds(10))
				.until(() -> System.nanoTime() - connectedAt > 5_500_000_000L);
			this.backendA.retire();
			this.frontDoor.route(List.of());
			this.a.closeAll();
			client.send();
			await().pollDelay(Duration.ofMillis(500)).until(() -> true);
			this.frontDoor.route(List.of(this.backendB));
			assertThat(client.receive()).isEqualTo("b");
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
	void aRequestACrashedWorkerClosesUnansweredGetsBadGatewayAndIsCounted() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.holdRequests();
			client.send();
			this.a.awaitHeld(1);
			this.frontDoor.route(List.of(this.backendB));
			this.a.closeAll();
			assertThat(client.receive()).isEmpty();
			assertThat(client.status).startsWith("HTTP/1.1 502 ").contains("Connection: close");
			assertThat(client.socket.getInputStream().read()).isEqualTo(-1);
			assertThat(this.b.received).hasValue(0);
			assertThat(this.frontDoor.failedRequests()).isEqualTo(1);
		}
	}

	@Test
	void aPostTheRetiringWorkerClosesUnansweredIsNeverSentAgain() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.holdRequests();
			client.send("POST /orders HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
			this.a.awaitHeld(1);
			retireA();
			this.a.closeAll();
			assertThat(client.receive()).isEmpty();
			assertThat(client.status).startsWith("HTTP/1.1 502 ");
			assertThat(this.b.received).hasValue(0);
			assertThat(this.frontDoor.failedRequests()).isEqualTo(1);
		}
	}

	@Test
	void aPostOnAConnectionWhoseWorkerRetiredGoesWholeToTheNextWorker() throws Exception {
		try (Client client = new Client(this.port)) {
			assertThat(client.get()).isEqualTo("a");
			retireA();
			client.send("POST /orders HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
			assertThat(client.receive()).isEqualTo("b");
			assertThat(this.a.received).hasValue(1);
		}
	}

	@Test
	void aContinueIsNotAnAnswer() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.continueThenHold();
			client.send("PUT /x HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
			this.a.awaitHeld(1);
			retireA();
			this.a.closeAll();
			assertThat(client.receive()).as("the 100 Continue").isEmpty();
			assertThat(client.status).startsWith("HTTP/1.1 100 ");
			assertThat(client.receive()).as("sent again: idempotent, not answered").isEqualTo("b");
		}
	}

	@Test
	void aResponseCutShortClosesTheClientConnection() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.answerHalf();
			client.send();
			InputStream in = client.socket.getInputStream();
			assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("HTTP");
			retireA();
			this.a.closeAll();
			assertThat(in.readAllBytes()).as("the rest of the head and half a body, then the close").isNotEmpty();
			assertThat(this.b.received).hasValue(0);
			assertThat(this.frontDoor.failedRequests()).isEqualTo(1);
		}
	}

	@Test
	void pipelinedRequestsAfterAResponseThatClosesSeeTheCloseNotABadGateway() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.closeAfterEachResponse();
			client.send("GET /1 HTTP/1.1\r\nHost: test\r\n\r\nGET /2 HTTP/1.1\r\nHost: test\r\n\r\n");
			assertThat(client.receive()).isEqualTo("a");
			assertThat(client.socket.getInputStream().read()).isEqualTo(-1);
			assertThat(this.frontDoor.failedRequests()).isZero();
		}
	}

	@Test
	void aSmuggledRequestGetsBadRequestAndNeverReachesAWorker() throws Exception {
		try (Client client = new Client(this.port)) {
			client.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "0\r\n\r\nG");
			assertThat(client.receive()).isEmpty();
			assertThat(client.status).startsWith("HTTP/1.1 400 ").contains("Connection: close");
			assertThat(client.socket.getInputStream().read()).isEqualTo(-1);
			assertThat(this.a.received).hasValue(0);
		}
	}

	@Test
	void aResponseToAHeadRequestHasNoBodyAndTheNextRequestMovesAtItsBoundary() throws Exception {
		try (Client client = new Client(this.port)) {
			client.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n");
			assertThat(client.receiveHead()).contains("Content-Length: 1");
			retireA();
			assertThat(client.get()).isEqualTo("b");
		}
	}

	@Test
	void aClientThatAskedToCloseSeesTheClose() throws IOException {
		try (Client client = new Client(this.port)) {
			client.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
			assertThat(client.receive()).isEqualTo("a");
			retireA();
			this.a.closeAll();
			assertThat(client.socket.getInputStream().read()).isEqualTo(-1);
		}
	}

	@Test
	void aRequestIsInFlightFromItsFirstByteUntilItsAnswerBegins() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.answerHalf();
			client.send("POST /orders HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhel");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.backendA.requestsInFlight() == 1);
			client.send("lo");
			InputStream in = client.socket.getInputStream();
			assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("HTTP");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.backendA.requestsInFlight() == 0);
		}
	}

	@Test
	void aRetiringWorkerStillHasTheRequestItHoldsInFlight() throws Exception {
		try (Client client = new Client(this.port)) {
			this.a.holdRequests();
			client.send("POST /orders HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
			this.a.awaitHeld(1);
			retireA();
			assertThat(this.backendA.requestsInFlight()).isEqualTo(1);
			this.a.closeAll();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.backendA.requestsInFlight() == 0);
		}
	}

	/**
	 * Clients send POSTs back to back while their worker retires; like the arbiter, the
	 * test stops the worker (closes every connection) only once no request is in flight
	 * on it. No POST may be lost: each gets the answer of one worker or the other.
	 */
	@Test
	void postsRacedWithRetirementAreNeverLostWhenTheWorkerStopsOnlyOnceDrained() throws Exception {
		List<FakeWorker> workers = new CopyOnWriteArrayList<>(List.of(this.a));
		List<String> answers = new CopyOnWriteArrayList<>();
		AtomicBoolean going = new AtomicBoolean(true);
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread thread = new Thread(() -> {
				try (Client client = new Client(this.port)) {
					while (going.get()) {
						client.send("POST /orders HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
						answers.add(client.receive().isEmpty() ? client.status : "ok");
					}
				}
				catch (IOException ex) {
					answers.add(ex.toString());
				}
			});
			thread.start();
			clients.add(thread);
		}
		try {
			Backend current = this.backendA;
			FakeWorker worker = this.a;
			for (int round = 0; round < 20; round++) {
				FakeWorker next = new FakeWorker("w" + round);
				workers.add(next);
				Backend nextBackend = next.backend(round + 10);
				int before = answers.size();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> answers.size() > before + 4 || !answers.stream().allMatch("ok"::equals));
				current.retire();
				this.frontDoor.route(List.of(nextBackend));
				Backend retired = current;
				await().atMost(Duration.ofSeconds(10)).until(() -> retired.requestsInFlight() == 0);
				worker.closeAll();
				worker = next;
				current = nextBackend;
			}
		}
		finally {
			going.set(false);
			for (Thread thread : clients) {
				thread.join(10_000);
			}
			for (FakeWorker worker : workers) {
				worker.close();
			}
		}
		assertThat(answers).hasSizeGreaterThan(80).containsOnly("ok");
		assertThat(this.frontDoor.failedRequests()).isZero();
	}

	private void retireA() {
		this.backendA.retire();
		this.frontDoor.route(List.of(this.backendB));
	}

	/**
	 * Answers each request with its name; can hold requests unanswered, and close every
	 * connection.
	 */
	private static final class FakeWorker implements AutoCloseable {

		private final String name;

		private final ServerSocket server;

		private final List<Socket> connections = new CopyOnWriteArrayList<>();

		private volatile boolean hold;

		private volatile boolean sendContinue;

		private volatile boolean answerHalf;

		private volatile boolean closeAfterEachResponse;

		/** Requests read whole. */
		private final AtomicInteger received = new AtomicInteger();

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

		void continueThenHold() {
			this.sendContinue = true;
			this.hold = true;
		}

		void closeAfterEachResponse() {
			this.closeAfterEachResponse = true;
		}

		/** Answers with a head and half its body, then waits. */
		void answerHalf() {
			this.answerHalf = true;
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
				for (String head = readRequest(in); head != null; head = readRequest(in)) {
					if (this.sendContinue) {
						out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
						out.flush();
					}
					in.readNBytes(contentLength(head));
					this.received.incrementAndGet();
					if (this.answerHalf) {
						out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf!"
							.getBytes(StandardCharsets.US_ASCII));
						out.flush();
						continue;
					}
					if (this.hold) {
						this.held.add(socket);
						continue;
					}
					String body = head.startsWith("HEAD ") ? "" : this.name;
					String close = this.closeAfterEachResponse ? "Connection: close\r\n" : "";
					out.write(("HTTP/1.1 200 OK\r\n" + close + "Content-Length: " + this.name.length() + "\r\n\r\n"
							+ body)
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
					if (this.closeAfterEachResponse) {
						socket.close();
						return;
					}
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

	/**
	 * Reads up to and including the blank line that ends a head; null at the end of
	 * input.
	 */
	private static String readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		for (int b = in.read(); b != -1; b = in.read()) {
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				return head.toString(StandardCharsets.US_ASCII);
			}
		}
		return null;
	}

	private static int contentLength(String head) {
		Matcher length = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)").matcher(head);
		return length.find() ? Integer.parseInt(length.group(1)) : 0;
	}

	/** A keep-alive HTTP client on one socket. */
	private static final class Client implements AutoCloseable {

		private final Socket socket;

		/** The head of the last response received. */
		private String status;

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
			send("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
		}

		void send(String request) throws IOException {
			this.socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		}

		/** Reads one response's body; its head is then in {@link #status}. */
		String receive() throws IOException {
			String headers = receiveHead();
			if (headers.startsWith("HTTP/1.1 1")) {
				return "";
			}
			return new String(this.socket.getInputStream().readNBytes(contentLength(headers)),
					StandardCharsets.US_ASCII);
		}

		String receiveHead() throws IOException {
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
			this.status = head.toString(StandardCharsets.US_ASCII);
			return this.status;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
