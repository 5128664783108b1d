package dev.bootcluster.channel;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One end of the control connection between the primary and a worker: a Unix domain
 * socket carrying {@link Message} lines. Either side treats the end of the stream as the
 * other's death. {@link #send} never blocks: it queues the message for the channel's own
 * writer thread. When more than {@value #MAX_QUEUED_BYTES} bytes wait because the other
 * side reads nothing (it is stopped or hung), the channel closes itself.
 * <p>
 * Threads: one reader thread calls {@link #read()}; any thread may {@link #send}; the
 * writer thread owns the socket's writes.
 */
public final class Channel implements Closeable {

	private static final Log logger = LogFactory.getLog(Channel.class);

	private static final int MAX_LINE = 64 * 1024;

	/** What may wait for a reader that has stopped reading before it counts as hung. */
	static final int MAX_QUEUED_BYTES = 1024 * 1024;

	private final SocketChannel socket;

	private final ByteBuffer in = ByteBuffer.allocate(4096).flip();

	private final BlockingQueue<ByteBuffer> outbox = new LinkedBlockingQueue<>();

	/** Bytes sent but not yet written to the socket. */
	private final AtomicLong queued = new AtomicLong();

	private final Thread writer;

	/** Who is at the other end, for the log. */
	private volatile String peer = "the other side";

	Channel(SocketChannel socket) {
		this.socket = socket;
		this.writer = new Thread(this::writeLoop, "cluster-channel-writer");
		this.writer.setDaemon(true);
		// On a worker, heartbeats go through it: it gets the heartbeat thread's priority.
		this.writer.setPriority(Thread.MAX_PRIORITY);
		this.writer.start();
	}

	public static Channel connect(Path path) throws IOException {
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			socket.connect(UnixDomainSocketAddress.of(path));
			return new Channel(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Queues a message for the other side, without blocking.
	 * @throws ChannelOverflowException if the other side has left too much unread: the
	 * channel is then closed
	 * @throws ClosedChannelException if the channel is closed
	 */
	public void send(Message message) throws IOException {
		if (!this.socket.isOpen()) {
			throw new ClosedChannelException();
		}
		ByteBuffer out = ByteBuffer.wrap(message.encode().getBytes(StandardCharsets.UTF_8));
		long waiting = this.queued.addAndGet(out.remaining());
		if (waiting > MAX_QUEUED_BYTES) {
			close();
			ChannelOverflowException overflow = new ChannelOverflowException(waiting - out.remaining());
			logger.warn("Closed the control channel to " + this.peer + ": " + overflow.getMessage()
					+ " (it is stopped or hung)");
			throw overflow;
		}
		this.outbox.add(out);
	}

	/**
	 * Waits, at most {@code timeout}, until every queued message is written: a worker
	 * that is about to exit says why first.
	 */
	public void flush(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.queued.get() > 0 && this.socket.isOpen() && System.nanoTime() - deadline < 0) {
			Thread.sleep(5);
		}
	}

	/** Names who is at the other end, as the log should say it ("pid 4242"). */
	void peer(String peer) {
		this.peer = peer;
	}

	private void writeLoop() {
		try {
			while (this.socket.isOpen()) {
				ByteBuffer out = this.outbox.take();
				int size = out.remaining();
				while (out.hasRemaining()) {
					this.socket.write(out);
				}
				this.queued.addAndGet(-size);
			}
		}
		catch (IOException ex) {
			// the reader sees the same broken connection and ends it
			close();
		}
		catch (InterruptedException ex) {
			// closed
		}
	}

	/**
	 * Blocks for the next message.
	 * @return the message, or {@code null} when the other side has gone
	 */
	public @Nullable Message read() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			while (this.in.hasRemaining()) {
				byte b = this.in.get();
				if (b == '\n') {
					Message message = Message.decode(line.toString(StandardCharsets.UTF_8));
					if (message != null) {
						return message;
					}
					line.reset();
				}
				else if (line.size() < MAX_LINE) {
					line.write(b);
				}
				else {
					throw new IOException("Control message longer than " + MAX_LINE + " bytes");
				}
			}
			this.in.clear();
			int read = this.socket.read(this.in);
			this.in.flip();
			if (read < 0) {
				return null;
			}
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
		this.writer.interrupt();
	}

	/**
	 * The other side has left more than {@value #MAX_QUEUED_BYTES} bytes unread: it is
	 * stopped or hung, and the channel has been closed.
	 */
	public static final class ChannelOverflowException extends IOException {

		ChannelOverflowException(long unread) {
			super("it has not read the last " + unread + " bytes sent to it");
		}

	}

}
