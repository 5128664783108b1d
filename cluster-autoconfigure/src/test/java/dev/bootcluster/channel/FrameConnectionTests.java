package dev.bootcluster.channel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link FrameConnection}'s writes over a real Unix domain socket: a reply written at
 * once by the replying thread when nothing is queued, frames kept in order when some are,
 * a peer that reads nothing cut off, and frames read in chunks.
 */
@ExtendWith(OutputCaptureExtension.class)
class FrameConnectionTests {

	private static final FrameConnection.Receiver IGNORING = new FrameConnection.Receiver() {

		@Override
		public void received(Frame frame, FrameConnection connection) {
		}

		@Override
		public void closed(FrameConnection connection) {
		}

	};

	@TempDir
	Path directory;

	private SocketChannel peer;

	private FrameConnection connection;

	@BeforeEach
	void connect() throws IOException {
		connect(FrameConnection.STALL_LIMIT);
	}

	private void connect(Duration stallLimit) throws IOException {
		Path socket = this.directory.resolve("test.sock");
		Files.deleteIfExists(socket);
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
			server.bind(address);
			this.peer = SocketChannel.open(address);
			this.connection = new FrameConnection(server.accept(), "test", stallLimit);
		}
	}

	@AfterEach
	void close() throws IOException {
		this.connection.close();
		this.peer.close();
	}

	@Test
	void aReplyIsWrittenByTheReplyingThreadWhenNothingIsQueued() throws Exception {
		// Not started: no writer thread would ever write a queued frame.
		this.connection.reply(frame(1));
		assertThat(read()).extracting(Frame::correlation).isEqualTo(1L);
	}

	@Test
	void aReplyQueuesBehindFramesNotYetWrittenAndKeepsTheirOrder() throws Exception {
		assertThat(this.connection.send(frame(1), Duration.ZERO)).isTrue();
		this.connection.reply(frame(2));
		this.peer.configureBlocking(false);
		assertThat(this.peer.read(ByteBuffer.allocate(1))).as("nothing written before the writer thread").isZero();
		this.peer.configureBlocking(true);
		this.connection.start(IGNORING);
		assertThat(read()).extracting(Frame::correlation).isEqualTo(1L);
		assertThat(read()).extracting(Frame::correlation).isEqualTo(2L);
	}

	@Test
	void aPeerThatReadsNothingIsCutOffEvenWhileAReplyWaitsToBeWritten(CapturedOutput output) throws Exception {
		this.connection.start(IGNORING);
		// Both threads reply until the socket is full: whichever then waits in a write,
		// the other's replies queue until there are too many.
		CompletableFuture<Void> big = replyUntilClosed(8 * 1024);
		for (int i = 0; i < 100 * FrameConnection.MAX_QUEUED_FRAMES && !this.connection.closed().isDone(); i++) {
			this.connection.reply(frame(i));
		}
		this.connection.closed().get(30, TimeUnit.SECONDS);
		big.get(30, TimeUnit.SECONDS);
		assertThat(output).contains("Closed the exchange connection of a worker: it left "
				+ FrameConnection.MAX_QUEUED_FRAMES + " replies unread");
	}

	@Test
	void aReplyingThreadWaitingInAWriteToAPeerThatReadsNothingIsFreed(CapturedOutput output) throws Exception {
		close();
		connect(Duration.ofSeconds(1));
		this.connection.start(IGNORING);
		// The only thread replying: nothing queues behind it, so only the limit frees it.
		CompletableFuture<Void> replies = replyUntilClosed(8 * 1024);
		this.connection.closed().get(30, TimeUnit.SECONDS);
		replies.get(30, TimeUnit.SECONDS);
		assertThat(output).contains("Closed the exchange connection of a worker: it has read nothing of what was sent "
				+ "to it for 1 s (it is stopped or hung)");
	}

	/**
	 * Replies frames of {@code size} bytes from another thread until the connection
	 * closes.
	 */
	private CompletableFuture<Void> replyUntilClosed(int size) {
		return CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 1_000_000 && !this.connection.closed().isDone(); i++) {
				this.connection.reply(Frame.request(i, "s", List.of(), new byte[size]));
			}
		});
	}

	@Test
	void framesWaitingInTheSocketAreReadInChunksNotTwoReadsEach() throws IOException {
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		for (int i = 0; i < 10; i++) {
			wire.write(bytes(FrameCodec.encode(frame(i))));
		}
		byte[] big = new byte[3 * FrameConnection.READ_CHUNK];
		big[big.length - 1] = 7;
		wire.write(bytes(FrameCodec.encode(Frame.request(10, "s", List.of(), big))));
		wire.write(bytes(FrameCodec.encode(frame(11))));
		ReadableByteChannel stream = Channels.newChannel(new ByteArrayInputStream(wire.toByteArray()));
		AtomicInteger reads = new AtomicInteger();
		ReadableByteChannel counted = new ReadableByteChannel() {

			@Override
			public int read(ByteBuffer destination) throws IOException {
				reads.incrementAndGet();
				return stream.read(destination);
			}

			@Override
			public boolean isOpen() {
				return stream.isOpen();
			}

			@Override
			public void close() throws IOException {
				stream.close();
			}

		};
		FrameConnection.BufferedChannel in = new FrameConnection.BufferedChannel(counted);
		for (int i = 0; i < 10; i++) {
			assertThat(FrameCodec.read(in).correlation()).isEqualTo(i);
		}
		assertThat(reads).as("system calls for ten small frames").hasValue(1);
		assertThat(FrameCodec.read(in).payload()).isEqualTo(big);
		assertThat(FrameCodec.read(in).correlation()).isEqualTo(11);
		assertThat(FrameCodec.read(in)).isNull();
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	/** The next frame the peer reads, within a deadline. */
	private Frame read() throws Exception {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return FrameCodec.read(this.peer);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}).get(10, TimeUnit.SECONDS);
	}

	private static Frame frame(long correlation) {
		return Frame.request(correlation, "s", List.of(), new byte[] { 1 });
	}

}
