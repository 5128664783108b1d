package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One exchange connection, either end: {@link Frame}s over a Unix domain socket. Sends
 * wait in a bounded queue ({@value #MAX_QUEUED_FRAMES} frames) for the connection's
 * writer thread: a sender that finds it full waits, or gives up, which pushes back on it
 * rather than on memory. A malformed frame closes the connection with a WARN, nothing
 * more.
 * <p>
 * Threads: one reader thread hands each frame to the {@link Receiver}; one writer thread
 * owns the socket's writes; any thread may {@link #send}.
 */
public final class FrameConnection implements Closeable {

	private static final Log logger = LogFactory.getLog(FrameConnection.class);

	static final int MAX_QUEUED_FRAMES = 1024;

	private final SocketChannel socket;

	private final String name;

	private final BlockingQueue<ByteBuffer> outbox = new ArrayBlockingQueue<>(MAX_QUEUED_FRAMES);

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	/** Who is at the other end, for the log. */
	private volatile String peer = "a worker";

	FrameConnection(SocketChannel socket, String name) {
		this.socket = socket;
		this.name = name;
	}

	/** Starts reading frames into {@code receiver}, and writing what is sent. */
	void start(Receiver receiver) {
		Thread reader = new Thread(() -> readLoop(receiver), this.name + "-reader");
		reader.setDaemon(true);
		reader.start();
		Thread writer = new Thread(this::writeLoop, this.name + "-writer");
		writer.setDaemon(true);
		writer.start();
	}

	void peer(String peer) {
		this.peer = peer;
	}

	/**
	 * Queues {@code frame} for the other side, waiting up to {@code wait} for room.
	 * @return {@code false} if the connection is closed, or stayed full for {@code wait}
	 */
	public boolean send(Frame frame, Duration wait) {
		ByteBuffer bytes = FrameCodec.encode(frame);
		if (this.closed.isDone()) {
			return false;
		}
		try {
			return this.outbox.offer(bytes, wait.toNanos(), TimeUnit.NANOSECONDS) && !this.closed.isDone();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Sends a reply without waiting: a worker that leaves {@value #MAX_QUEUED_FRAMES}
	 * replies unread is cut off rather than allowed to stall the service that answers.
	 */
	public void reply(Frame frame) {
		if (!send(frame, Duration.ZERO) && !this.closed.isDone()) {
			logger.warn("Closed the exchange connection of " + this.peer + ": it left " + MAX_QUEUED_FRAMES
					+ " replies unread");
			close();
		}
	}

	/** Completes when the connection is closed, by either side. */
	public CompletableFuture<Void> closed() {
		return this.closed;
	}

	private void readLoop(Receiver receiver) {
		try {
			for (Frame frame = FrameCodec.read(this.socket); frame != null; frame = FrameCodec.read(this.socket)) {
				receiver.received(frame, this);
			}
		}
		catch (MalformedFrameException ex) {
			logger.warn("Closed the exchange connection of " + this.peer + ": it sent " + ex.getMessage());
		}
		catch (IOException ex) {
			// a broken connection ends like a closed one
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			close();
			receiver.closed(this);
		}
	}

	private void writeLoop() {
		try {
			while (!this.closed.isDone()) {
				ByteBuffer bytes = this.outbox.poll(1, TimeUnit.SECONDS);
				while (bytes != null && bytes.hasRemaining()) {
					this.socket.write(bytes);
				}
			}
		}
		catch (IOException ex) {
			close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.outbox.clear();
		this.closed.complete(null);
	}

	/** What a connection's reader thread hands its frames to. */
	interface Receiver {

		/**
		 * A frame arrived; may block to push back on the other side.
		 * @throws MalformedFrameException to close the connection with a WARN
		 */
		void received(Frame frame, FrameConnection connection) throws InterruptedException;

		/** The connection is closed; called once, last. */
		void closed(FrameConnection connection);

	}

}
