package dev.bootcluster.channel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ChannelTests {

	@TempDir
	Path temp;

	@Test
	void aPeerThatNeverReadsOverflowsTheQueueAndTheChannelClosesWithoutBlockingTheSender() throws Exception {
		Path path = this.temp.resolve("peer.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(path));
			try (Channel channel = Channel.connect(path); SocketChannel peer = server.accept()) {
				Message status = Message.of(Message.Type.STATUS, "1", "x".repeat(1000));
				// Far more than the socket buffers and the queue hold together.
				int sends = 16 * Channel.MAX_QUEUED_BYTES / 1000;
				int sent = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
					for (int i = 0; i < sends; i++) {
						try {
							channel.send(status);
						}
						catch (Channel.ChannelOverflowException ex) {
							return i;
						}
					}
					return sends;
				}, "a send blocked");
				assertThat(sent).as("messages queued before the overflow").isLessThan(sends);
				assertThatExceptionOfType(ClosedChannelException.class).isThrownBy(() -> channel.send(status));
				assertThat(readToEnd(peer)).as("bytes the peer finds before the end of the stream")
					.isLessThanOrEqualTo((long) sent * 1010);
			}
		}
	}

	@Test
	void messagesArriveInOrder() throws Exception {
		Path path = this.temp.resolve("peer.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(path));
			try (Channel sender = Channel.connect(path); Channel receiver = new Channel(server.accept())) {
				for (int i = 0; i < 1000; i++) {
					sender.send(Message.of(Message.Type.HEARTBEAT, i, 0, 0));
				}
				for (int i = 0; i < 1000; i++) {
					assertThat(receiver.read().longField(0)).isEqualTo(i);
				}
			}
		}
	}

	private static long readToEnd(SocketChannel peer) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		long total = 0;
		for (int read = peer.read(buffer); read >= 0; read = peer.read(buffer)) {
			total += read;
			buffer.clear();
		}
		return total;
	}

}
