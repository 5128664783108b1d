package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection and its hop to a worker. It connects to the next ready worker;
 * a worker that refuses (it just died) is skipped and the next one tried before a single
 * byte has reached the client; with no worker left it waits in the loop's queue.
 * <p>
 * Threads: created, driven and closed by one {@link RelayLoop}.
 */
final class Relay implements RelayLoop.Handler {

	private final RelayLoop loop;

	private final SocketChannel client;

	private final PortKind kind;

	private final long acceptedAt = System.nanoTime();

	private final List<Backend> refused = new ArrayList<>(2);

	private Backend backend;

	private SocketChannel worker;

	private SelectionKey clientKey;

	private SelectionKey workerKey;

	private Pipe toWorker;

	private Pipe toClient;

	private boolean closed;

	Relay(RelayLoop loop, SocketChannel client, PortKind kind) {
		this.loop = loop;
		this.client = client;
		this.kind = kind;
	}

	void start() {
		this.loop.opened();
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

	/** Connects to the next ready worker, or waits for one. */
	void connect() {
		this.backend = this.loop.pick(this.refused);
		if (this.backend == null) {
			this.loop.await(this);
			return;
		}
		this.backend.opened();
		try {
			this.worker = SocketChannel.open();
			this.worker.configureBlocking(false);
			this.worker.setOption(StandardSocketOptions.TCP_NODELAY, true);
			if (this.worker.connect(this.backend.address(this.kind))) {
				connected();
			}
			else {
				this.workerKey = this.worker.register(this.loop.selector(), SelectionKey.OP_CONNECT, this);
			}
		}
		catch (IOException ex) {
			refused();
		}
	}

	private void refused() {
		closeQuietly(this.worker);
		this.workerKey = null;
		this.backend.closed();
		this.refused.add(this.backend);
		this.backend = null;
		connect();
	}

	private void connected() throws IOException {
		this.toWorker = new Pipe(this.client, this.worker);
		this.toClient = new Pipe(this.worker, this.client);
		if (this.workerKey == null) {
			this.workerKey = this.worker.register(this.loop.selector(), 0, this);
		}
		updateInterest();
	}

	@Override
	public void ready(SelectionKey key) {
		if (this.closed || !key.isValid()) {
			return;
		}
		try {
			if (key.isConnectable()) {
				try {
					this.worker.finishConnect();
				}
				catch (IOException ex) {
					refused();
					return;
				}
				connected();
				return;
			}
			if (key == this.clientKey) {
				if (key.isReadable()) {
					this.toWorker.pump(this.loop.buffer());
				}
				if (key.isWritable()) {
					this.toClient.flush();
				}
			}
			else {
				if (key.isReadable()) {
					this.toClient.pump(this.loop.buffer());
				}
				if (key.isWritable()) {
					this.toWorker.flush();
				}
			}
			if (this.toWorker.finished() && this.toClient.finished()) {
				close();
			}
			else {
				updateInterest();
			}
		}
		catch (IOException ex) {
			close();
		}
	}

	private void updateInterest() {
		interest(this.clientKey, this.toWorker.wantsRead(), this.toClient.wantsWrite());
		interest(this.workerKey, this.toClient.wantsRead(), this.toWorker.wantsWrite());
	}

	private static void interest(SelectionKey key, boolean read, boolean write) {
		int ops = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
		if (key.interestOps() != ops) {
			key.interestOps(ops);
		}
	}

	void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.loop.closed();
		closeQuietly(this.client);
		closeQuietly(this.worker);
		if (this.backend != null) {
			this.backend.closed();
		}
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
