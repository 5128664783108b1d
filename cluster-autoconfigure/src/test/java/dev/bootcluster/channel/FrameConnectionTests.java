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
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			UnixDomainSocketAddress address = UnixDomainSocketAddress.of(this.directory.resolve("test.sock"));
			server.bind(address);
			this.peer = SocketChannel.open(address);
			this.connection = new FrameConnection(server.accept(), "test");
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
		// Fills the socket until this thread waits in a write of its own.
		CompletableFuture<Void> big = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 1000 && !this.connection.closed().isDone(); i++) {
				this.connection.reply(Frame.request(i, "s", List.of(), new byte[64 * 1024]));
			}
		});
		for (int i = 0; i < 100 * FrameConnection.MAX_QUEUED_FRAMES && !this.connection.closed().isDone(); i++) {
			this.connection.reply(frame(i));
		}
		this.connection.closed().get(30, TimeUnit.SECONDS);
		big.get(30, TimeUnit.SECONDS);
		assertThat(output).contains("Closed the exchange connection of a worker: it left "
				+ FrameConnection.MAX_QUEUED_FRAMES + " replies unread");
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
