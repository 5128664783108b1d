package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An event loop that relays many connections on one thread with one selector.
 * <p>
 * Threads: everything here belongs to the loop's own thread; other threads only
 * {@link #execute} tasks on it.
 */
final class RelayLoop implements Runnable {

	private static final int BUFFER_SIZE = 64 * 1024;

	private final Selector selector;

	private final Routes routes;

	private final long queueTimeoutNanos;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

	private ArrayDeque<Relay> waiting = new ArrayDeque<>();

	private volatile boolean running = true;

	/** Connections this loop relays or holds waiting; written by the loop thread only. */
	private volatile int open;

	RelayLoop(Routes routes, long queueTimeoutNanos) {
		this.routes = routes;
		this.queueTimeoutNanos = queueTimeoutNanos;
		try {
			this.selector = Selector.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Selector selector() {
		return this.selector;
	}

	ByteBuffer buffer() {
		return this.buffer;
	}

	Backend pick(List<Backend> refused, InetAddress client) {
		return this.routes.pick(refused, client);
	}

	void opened() {
		this.open++;
	}

	void closed() {
		this.open--;
	}

	int openConnections() {
		return this.open;
	}

	void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	/** Parks a connection until a worker is ready for it or the queue timeout passes. */
	void await(Relay relay) {
		this.waiting.add(relay);
	}

	/** Gives every waiting connection another chance; called when the ready workers change. */
	void retryWaiting() {
		ArrayDeque<Relay> retry = this.waiting;
		this.waiting = new ArrayDeque<>();
		long now = System.nanoTime();
		for (Relay relay : retry) {
			if (now - relay.acceptedAt() > this.queueTimeoutNanos) {
				relay.close();
			}
			else {
				relay.connect();
			}
		}
	}

	void stop() {
		this.running = false;
		this.selector.wakeup();
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				// While connections wait for a worker, wake each second to expire them.
				this.selector.select(this::dispatch, this.waiting.isEmpty() ? 0 : 1000);
				for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
					task.run();
				}
				if (!this.waiting.isEmpty()) {
					retryWaiting();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (SelectionKey key : this.selector.keys()) {
				closeQuietly(key);
			}
			this.waiting.forEach(Relay::close);
			closeQuietly(this.selector);
		}
	}

	private void dispatch(SelectionKey key) {
		((Handler) key.attachment()).ready(key);
	}

	private static void closeQuietly(SelectionKey key) {
		try {
			key.channel().close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
	}

	private static void closeQuietly(Selector selector) {
		try {
			selector.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
	}

	/** What a selection key is attached to. */
	interface Handler {

		void ready(SelectionKey key);

	}

}
