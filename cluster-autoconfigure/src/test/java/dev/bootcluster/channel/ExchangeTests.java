package dev.bootcluster.channel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The exchange end to end over a real Unix domain socket: requests answered by the
 * service they name, refusals, timeouts, and a malformed frame closing only its own
 * connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExchangeTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	Path directory;

	private final LaunchTokens tokens = new LaunchTokens();

	/** Requests to the 'silent' service: never answered. */
	private final CompletableFuture<Frame> silent = new CompletableFuture<>();

	private ExchangeServer server;

	/** The process the tokens are issued for; the test speaks for it. */
	private Process worker;

	@BeforeEach
	void open() throws IOException {
		this.worker = new ProcessBuilder("sleep", "60").start();
		ExchangeService echo = (request, from) -> from.reply(request.reply(request.headers(), request.payload()));
		ExchangeService silent = (request, from) -> this.silent.complete(request);
		this.server = ExchangeServer.open(this.directory, this.tokens, Map.of("echo", echo, "silent", silent));
	}

	@AfterEach
	void close() throws IOException {
		this.worker.destroyForcibly();
		this.server.close();
	}

	@Test
	void aServiceAnswersItsRequestsInOrder() throws Exception {
		try (Exchange exchange = connect(token(), TIMEOUT)) {
			CompletableFuture<Frame> first = exchange.request("echo", List.of("one"), bytes("first"));
			CompletableFuture<Frame> second = exchange.request("echo", List.of("two"), bytes("second"));
			assertThat(first.get(5, TimeUnit.SECONDS).headers()).containsExactly("one");
			assertThat(new String(first.get().payload(), StandardCharsets.UTF_8)).isEqualTo("first");
			assertThat(second.get(5, TimeUnit.SECONDS).headers()).containsExactly("two");
		}
	}

	@Test
	void aRequestForAServiceThePrimaryDoesNotOfferFails() {
		try (Exchange exchange = connect(token(), TIMEOUT)) {
			assertThatExceptionOfType(ExchangeException.class)
				.isThrownBy(() -> answer(exchange.request("nothing", List.of(), new byte[0])))
				.withMessageContaining("no service 'nothing'");
		}
	}

	@Test
	void aRequestNobodyAnswersTimesOut() {
		try (Exchange exchange = connect(token(), Duration.ofMillis(300))) {
			long start = System.nanoTime();
			assertThatExceptionOfType(ExchangeException.class)
				.isThrownBy(() -> answer(exchange.request("silent", List.of(), new byte[0])))
				.withMessageContaining("did not answer a silent request within 300 ms");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void aTokenNotIssuedOrAlreadyUsedIsRefused(CapturedOutput output) {
		try (Exchange stranger = connect("not-a-token", TIMEOUT)) {
			assertThatExceptionOfType(ExchangeException.class)
				.isThrownBy(() -> answer(stranger.request("echo", List.of(), new byte[0])));
		}
		String token = token();
		try (Exchange worker = connect(token, TIMEOUT); Exchange replay = connect(token, TIMEOUT)) {
			assertThat(answer(worker.request("echo", List.of("ok"), new byte[0])).headers()).containsExactly("ok");
			assertThatExceptionOfType(ExchangeException.class)
				.isThrownBy(() -> answer(replay.request("echo", List.of(), new byte[0])));
		}
		assertThat(output).contains("Refused an exchange connection: pid " + this.worker.pid()
				+ ": its token was not issued by this primary");
		assertThat(output).contains("its token was already used");
	}

	@Test
	void aMalformedFrameClosesOnlyItsConnection(CapturedOutput output) throws Exception {
		try (Exchange worker = connect(token(), TIMEOUT);
				SocketChannel bad = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			assertThat(answer(worker.request("echo", List.of("before"), new byte[0])).headers())
				.containsExactly("before");
			bad.connect(
					UnixDomainSocketAddress.of(ExchangeServer.socketBeside(this.directory.resolve("control.sock"))));
			bad.write(ByteBuffer.wrap(new byte[] { 0x7f, 0, 0, 0, 1, 2, 3 }));
			assertThat(closedByPeer(bad)).as("the bad connection closed by the primary").isTrue();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> output.toString().contains("Closed the exchange connection"));
			assertThat(output).contains("Closed the exchange connection of a worker: it sent a frame of");
			assertThat(answer(worker.request("echo", List.of("after"), new byte[0])).headers())
				.containsExactly("after");
			try (Exchange another = connect(token(), TIMEOUT)) {
				assertThat(answer(another.request("echo", List.of("new"), new byte[0])).headers())
					.containsExactly("new");
			}
		}
	}

	@Test
	void aConnectionThatNeverSaysHelloIsNotServed() throws Exception {
		try (SocketChannel silentClient = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			silentClient.connect(UnixDomainSocketAddress.of(this.directory.resolve(ExchangeServer.SOCKET)));
			silentClient.write(FrameCodec.encode(Frame.request(1, "echo", List.of(), new byte[0])));
			assertThat(closedByPeer(silentClient)).as("a request before HELLO closes the connection").isTrue();
		}
	}

	/**
	 * Whether the other side closed: the end of the stream, or a reset (bytes were left
	 * unread).
	 */
	private static boolean closedByPeer(SocketChannel socket) {
		try {
			return socket.read(ByteBuffer.allocate(16)) == -1;
		}
		catch (IOException ex) {
			return ex.getMessage().contains("reset");
		}
	}

	private String token() {
		String token = this.tokens.issue();
		this.tokens.launched(token, this.worker.toHandle());
		return token;
	}

	private Exchange connect(String token, Duration timeout) {
		try {
			return Exchange.connect(this.directory.resolve(ExchangeServer.SOCKET), 1, this.worker.pid(), token,
					timeout);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Frame answer(CompletableFuture<Frame> answer) {
		try {
			return answer.get(10, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw (RuntimeException) ex.getCause();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
