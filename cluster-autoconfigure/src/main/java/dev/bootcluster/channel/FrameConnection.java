package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One exchange connection, either end: {@link Frame}s over a Unix domain socket. Sends
 * wait in a bounded queue ({@value #MAX_QUEUED_FRAMES} frames) for the connection's
 * writer thread: a sender that finds it full waits, or gives up, which pushes back on it
 * rather than on memory. A malformed frame closes the connection with a WARN, nothing
 * more. A {@link #reply} finding nothing queued and nobody writing is written at once by
 * the replying thread, which saves two thread hand-offs on each round trip.
 * <p>
 * Threads: one reader thread hands each frame to the {@link Receiver}; any thread may
 * {@link #send} or {@link #reply}. Writes to the socket take the {@code writing} lock:
 * the writer thread, for what was queued (up to {@code MAX_BATCH} frames in one write),
 * or a replying thread when nothing is queued or being written ({@code unwritten} is
 * zero), so frames from one thread keep their order. A replying thread whose write has
 * waited {@code stallLimit} for a peer that reads nothing is freed by the writer thread
 * closing the connection: it may be another worker's reader thread, routing an answer.
 */
public final class FrameConnection implements Closeable {

	private static final Log logger = LogFactory.getLog(FrameConnection.class);

	static final int MAX_QUEUED_FRAMES = 1024;

	/** The most frames the writer thread writes in one go. */
	private static final int MAX_BATCH = 64;

	static final int READ_CHUNK = 64 * 1024;

	/** How long a replying thread may wait in a write before the peer is cut off. */
	static final Duration STALL_LIMIT = Duration.ofSeconds(10);

	private final SocketChannel socket;

	private final String name;

	private final Duration stallLimit;

	/** When the replying thread writing now started; 0 when none is. */
	private volatile long replyWriteSince;

	private final BlockingQueue<ByteBuffer> outbox = new ArrayBlockingQueue<>(MAX_QUEUED_FRAMES);

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final ReentrantLock writing = new ReentrantLock();

	/** Frames queued and not yet written; changes to zero only under {@code writing}. */
	private final AtomicInteger unwritten = new AtomicInteger();

	/** The worker at the other end, once it said HELLO; -1 before. */
	private volatile int workerId = -1;

	/** The pid of the worker at the other end, once it said HELLO; -1 before. */
	private volatile long workerPid = -1;

	/** Who is at the other end, for the log. */
	private volatile String peer = "a worker";

	FrameConnection(SocketChannel socket, String name) {
		this(socket, name, STALL_LIMIT);
	}

	FrameConnection(SocketChannel socket, String name, Duration stallLimit) {
		this.socket = socket;
		this.name = name;
		this.stallLimit = stallLimit;
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

	void worker(int workerId, long pid) {
		this.workerId = workerId;
		this.workerPid = pid;
	}

	/** The pid of the worker at the other end, once it said HELLO; -1 before. */
	public long workerPid() {
		return this.workerPid;
	}

	/** The worker at the other end, once it said HELLO; -1 before. */
	public int workerId() {
		return this.workerId;
	}

	/**
	 * Queues {@code frame} for the other side, waiting up to {@code wait} for room.
	 * @return {@code false} if the connection is closed, or stayed full for {@code wait}
	 */
	public boolean send(Frame frame, Duration wait) {
		return queue(FrameCodec.encode(frame), wait);
	}

	private boolean queue(ByteBuffer bytes, Duration wait) {
		if (this.closed.isDone()) {
			return false;
		}
		this.unwritten.incrementAndGet();
		try {
			if (this.outbox.offer(bytes, wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return !this.closed.isDone();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.unwritten.decrementAndGet();
		return false;
	}

	/**
	 * Sends a reply without waiting for room: a worker that leaves
	 * {@value #MAX_QUEUED_FRAMES} replies unread is cut off rather than allowed to stall
	 * the service that answers. When nothing is queued the replying thread writes the
	 * reply itself; that write waits only if the other side's socket buffer is full, and
	 * replies from other threads meanwhile queue, and cut it off as above.
	 */
	public void reply(Frame frame) {
		ByteBuffer bytes = FrameCodec.encode(frame);
		if (writtenAtOnce(bytes)) {
			return;
		}
		if (!queue(bytes, Duration.ZERO) && !this.closed.isDone()) {
			logger.warn("Closed the exchange connection of " + this.peer + ": it left " + MAX_QUEUED_FRAMES
					+ " replies unread");
			close();
		}
	}

	/**
	 * Writes {@code bytes} on the caller's thread if nothing is queued or being written.
	 * @return {@code false} if they are left to queue
	 */
	private boolean writtenAtOnce(ByteBuffer bytes) {
		if (this.unwritten.get() != 0 || this.closed.isDone() || !this.writing.tryLock()) {
			return false;
		}
		try {
			if (this.unwritten.get() != 0) {
				return false;
			}
			this.replyWriteSince = System.nanoTime();
			while (bytes.hasRemaining()) {
				this.socket.write(bytes);
			}
		}
		catch (IOException ex) {
			close();
		}
		finally {
			this.replyWriteSince = 0;
			this.writing.unlock();
		}
		return true;
	}

	/** Completes when the connection is closed, by either side. */
	public CompletableFuture<Void> closed() {
		return this.closed;
	}

	private void readLoop(Receiver receiver) {
		ReadableByteChannel in = new BufferedChannel(this.socket);
		try {
			for (Frame frame = FrameCodec.read(in); frame != null; frame = FrameCodec.read(in)) {
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
		List<ByteBuffer> batch = new ArrayList<>();
		try {
			while (!this.closed.isDone()) {
				ByteBuffer first = this.outbox.poll(1, TimeUnit.SECONDS);
				cutOffIfStalled();
				if (first != null) {
					batch.add(first);
					this.outbox.drainTo(batch, MAX_BATCH - 1);
					write(batch.toArray(ByteBuffer[]::new));
					batch.clear();
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

	/** Writes {@code frames} in as few system calls as the socket takes them. */
	private void write(ByteBuffer[] frames) throws IOException, InterruptedException {
		while (!this.writing.tryLock(1, TimeUnit.SECONDS)) {
			cutOffIfStalled();
			if (this.closed.isDone()) {
				return;
			}
		}
		try {
			ByteBuffer last = frames[frames.length - 1];
			while (last.hasRemaining()) {
				this.socket.write(frames);
			}
			this.unwritten.addAndGet(-frames.length);
		}
		finally {
			this.writing.unlock();
		}
	}

	/** Closes the connection if a replying thread has waited too long in a write. */
	private void cutOffIfStalled() {
		long since = this.replyWriteSince;
		if (since != 0 && System.nanoTime() - since > this.stallLimit.toNanos() && !this.closed.isDone()) {
			logger.warn("Closed the exchange connection of " + this.peer
					+ ": it has read nothing of what was sent to it for " + this.stallLimit.toSeconds()
					+ " s (it is stopped or hung)");
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

	/**
	 * Reads the socket in chunks of up to {@value #READ_CHUNK} bytes, so that the frames
	 * waiting in it cost one system call, not two each (length, then body).
	 */
	static final class BufferedChannel implements ReadableByteChannel {

		private final ReadableByteChannel socket;

		private final ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK).limit(0);

		BufferedChannel(ReadableByteChannel socket) {
			this.socket = socket;
		}

		@Override
		public int read(ByteBuffer destination) throws IOException {
			if (!this.chunk.hasRemaining()) {
				if (destination.remaining() >= READ_CHUNK) {
					return this.socket.read(destination);
				}
				this.chunk.clear();
				int read = this.socket.read(this.chunk);
				this.chunk.flip();
				if (read <= 0) {
					return read;
				}
			}
			int count = Math.min(this.chunk.remaining(), destination.remaining());
			destination.put(destination.position(), this.chunk, this.chunk.position(), count);
			destination.position(destination.position() + count);
			this.chunk.position(this.chunk.position() + count);
			return count;
		}

		@Override
		public boolean isOpen() {
			return this.socket.isOpen();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

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
