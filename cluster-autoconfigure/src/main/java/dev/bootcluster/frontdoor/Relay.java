package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection and its hop to a worker.
 * <p>
 * It connects to the next ready worker; a worker that refuses (it just died) is skipped
 * and the next one tried before a single byte has reached the client; with no worker
 * left it waits in the loop's queue.
 * <p>
 * The client keeps its connection when its worker retires (a reload, or the worker's own
 * graceful shutdown): its next HTTP request goes to a ready worker instead; a request the
 * retiring worker closes without answering is sent again to another one; and when the
 * retiring worker closes an idle keep-alive connection, the client does not see it. A
 * worker that crashed gets none of this: its connections are closed.
 * <p>
 * Threads: created, driven and closed by one {@link RelayLoop}.
 */
final class Relay implements RelayLoop.Handler {

	private final RelayLoop loop;

	private final SocketChannel client;

	private final PortKind kind;

	private final InetSocketAddress clientAddress;

	private final InetSocketAddress publicAddress;

	private final long acceptedAt = System.nanoTime();

	private long lastActive = this.acceptedAt;

	private final List<Backend> refused = new ArrayList<>(2);

	private final Unanswered unanswered = new Unanswered();

	private final Pipe toClient;

	private final Pipe toWorker = new Pipe(null);

	private Backend backend;

	private SocketChannel worker;

	private boolean connected;

	/** In the loop's queue, waiting for a ready worker. */
	private boolean waiting;

	/** A connect to {@link #backend} is under way (counted in {@link Backend#connecting()}). */
	private boolean connectPending;

	private SelectionKey clientKey;

	private SelectionKey workerKey;

	private boolean closed;

	Relay(RelayLoop loop, SocketChannel client, InetSocketAddress clientAddress, InetSocketAddress publicAddress,
			PortKind kind) {
		this.loop = loop;
		this.client = client;
		this.clientAddress = clientAddress;
		this.publicAddress = publicAddress;
		this.kind = kind;
		this.toClient = new Pipe(client);
	}

	void start() {
		this.loop.opened(this);
		try {
			this.clientKey = this.client.register(this.loop.selector(), 0, this);
			connect();
		}
		catch (IOException ex) {
			close();
		}
	}

	long acceptedAt() {
		return this.acceptedAt;
	}

	/** When bytes last moved, or the connection was accepted. */
	long lastActive() {
		return this.lastActive;
	}

	/** Connects to the next ready worker, or waits for one. */
	void connect() {
		if (this.closed) {
			return;
		}
		this.waiting = false;
		this.backend = this.loop.pick(this.refused, this.clientAddress.getAddress());
		if (this.backend == null) {
			this.waiting = true;
			this.loop.await(this);
			updateInterest();
			return;
		}
		this.backend.opened();
		SocketAddress address = this.backend.address(this.kind);
		try {
			if (address instanceof UnixDomainSocketAddress) {
				this.worker = SocketChannel.open(StandardProtocolFamily.UNIX);
			}
			else {
				this.worker = SocketChannel.open();
				this.worker.setOption(StandardSocketOptions.TCP_NODELAY, true);
			}
			this.worker.configureBlocking(false);
			if (this.worker.connect(address)) {
				connected();
			}
			else {
				this.backend.connectStarted();
				this.connectPending = true;
				this.workerKey = this.worker.register(this.loop.selector(), SelectionKey.OP_CONNECT, this);
			}
		}
		catch (IOException ex) {
			if (this.loop.outOfDescriptors(ex)) {
				// Closed at once: waiting, it would hold the descriptor another connection needs.
				close();
			}
			else if (backlogFull(address, ex)) {
				// Not refused, only busy: try again at the loop's next turn, as TCP would resend its SYN.
				dropWorker();
				this.waiting = true;
				this.loop.await(this);
				updateInterest();
			}
			else {
				refused();
			}
		}
	}

	/**
	 * A Unix domain socket whose listen backlog is full fails a non-blocking connect at
	 * once (EAGAIN) where TCP would wait; a worker that is gone refuses it, or has removed
	 * its socket file.
	 */
	private static boolean backlogFull(SocketAddress address, IOException ex) {
		return address instanceof UnixDomainSocketAddress unix && !(ex instanceof ConnectException)
				&& Files.exists(unix.getPath());
	}

	private void refused() {
		this.refused.add(this.backend);
		dropWorker();
		connect();
	}

	private void connected() throws IOException {
		this.connected = true;
		this.refused.clear();
		if (this.workerKey == null) {
			this.workerKey = this.worker.register(this.loop.selector(), 0, this);
		}
		this.toWorker.retarget(this.worker);
		if (this.backend.readsProxyProtocol(this.kind)) {
			this.toWorker.forward(ProxyHeader.of(this.clientAddress, this.publicAddress));
		}
		if (!this.unanswered.isEmpty()) {
			this.toWorker.forward(this.unanswered.replay());
		}
		updateInterest();
	}

	@Override
	public void ready(SelectionKey key) {
		if (this.closed || !key.isValid()) {
			return;
		}
		this.lastActive = System.nanoTime();
		try {
			if (key == this.clientKey) {
				if (key.isWritable()) {
					this.toClient.flush();
				}
				if (key.isReadable()) {
					readClient();
				}
			}
			else if (key.isConnectable()) {
				finishConnect();
			}
			else {
				if (key.isWritable()) {
					this.toWorker.flush();
				}
				if (key.isReadable()) {
					readWorker();
				}
			}
			if (this.toWorker.finished() && this.toClient.finished()) {
				close();
			}
			else if (!this.closed) {
				updateInterest();
			}
		}
		catch (IOException ex) {
			close();
		}
	}

	private void finishConnect() throws IOException {
		endConnect();
		try {
			this.worker.finishConnect();
		}
		catch (IOException ex) {
			refused();
			return;
		}
		connected();
	}

	private void readClient() throws IOException {
		ByteBuffer buffer = this.loop.buffer().clear();
		int read = this.client.read(buffer);
		if (read < 0) {
			if (this.worker == null) {
				close();
			}
			else {
				this.toWorker.endOfInput();
			}
			return;
		}
		if (read == 0) {
			return;
		}
		buffer.flip();
		boolean atRequestBoundary = this.unanswered.isEmpty() && Unanswered.startsRequest(buffer);
		this.unanswered.record(buffer);
		if (this.worker == null || (atRequestBoundary && this.backend.isRetiring())) {
			moveToAnotherWorker();
			return;
		}
		this.toWorker.forward(buffer);
	}

	private void readWorker() throws IOException {
		ByteBuffer buffer = this.loop.buffer().clear();
		int read;
		try {
			read = this.worker.read(buffer);
		}
		catch (IOException ex) {
			if (this.backend.isRetiring() && this.unanswered.canReplay()) {
				moveToAnotherWorker();
				return;
			}
			throw ex;
		}
		if (read < 0) {
			workerClosed();
			return;
		}
		this.unanswered.answered();
		this.toClient.forward(buffer.flip());
	}

	private void workerClosed() throws IOException {
		if (this.backend.isRetiring()) {
			if (this.unanswered.isEmpty() && !this.unanswered.lastRequestAskedToClose()) {
				// An idle keep-alive connection the retiring worker let go: keep the client,
				// its next request goes to another worker.
				dropWorker();
				return;
			}
			if (this.unanswered.canReplay()) {
				moveToAnotherWorker();
				return;
			}
		}
		this.toClient.endOfInput();
	}

	/** Leaves the current worker, if any, and sends what it did not answer to another. */
	private void moveToAnotherWorker() {
		dropWorker();
		connect();
	}

	private void endConnect() {
		if (this.connectPending) {
			this.connectPending = false;
			this.backend.connectEnded();
		}
	}

	private void dropWorker() {
		endConnect();
		if (this.workerKey != null) {
			this.workerKey.cancel();
			this.workerKey = null;
		}
		closeQuietly(this.worker);
		this.worker = null;
		this.connected = false;
		this.toWorker.retarget(null);
		if (this.backend != null) {
			this.backend.closed();
			this.backend = null;
		}
	}

	private void updateInterest() {
		// Read the client while relaying, or while detached from a worker that retired; not
		// while connecting or waiting for a worker.
		boolean readClient = this.toWorker.accepts() && (this.connected || (this.worker == null && !this.waiting));
		interest(this.clientKey, readClient, this.toClient.wantsWrite());
		if (this.connected) {
			interest(this.workerKey, this.toClient.accepts(), this.toWorker.wantsWrite());
		}
	}

	private static void interest(SelectionKey key, boolean read, boolean write) {
		int ops = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
		if (key.isValid() && key.interestOps() != ops) {
			key.interestOps(ops);
		}
	}

	void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.loop.closed(this);
		closeQuietly(this.client);
		dropWorker();
	}

	private static void closeQuietly(SocketChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// already gone
			}
		}
	}

}
