package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
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

	private final long idleTimeoutNanos;

	private final int maxHeaderSize;

	/** Requests lost with a worker (answered 502, or cut short); written by this loop's thread only. */
	private volatile long failedRequests;

	/** Every connection this loop relays or holds waiting. */
	private final Set<Relay> relays = new HashSet<>();

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

	private ArrayDeque<Relay> waiting = new ArrayDeque<>();

	private long lastSweep = System.nanoTime();

	private volatile boolean running = true;

	/** How many of {@link #relays} there are, for other threads to read. */
	private volatile int open;

	RelayLoop(Routes routes, long queueTimeoutNanos, long idleTimeoutNanos, int maxHeaderSize) {
		this.routes = routes;
		this.maxHeaderSize = maxHeaderSize;
		this.queueTimeoutNanos = queueTimeoutNanos;
		this.idleTimeoutNanos = idleTimeoutNanos;
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

	int maxHeaderSize() {
		return this.maxHeaderSize;
	}

	void requestFailed() {
		this.failedRequests++;
	}

	long failedRequests() {
		return this.failedRequests;
	}

	Backend pick(List<Backend> refused, InetAddress client) {
		return this.routes.pick(refused, client);
	}

	void opened(Relay relay) {
		this.relays.add(relay);
		this.open = this.relays.size();
	}

	void closed(Relay relay) {
		this.relays.remove(relay);
		this.open = this.relays.size();
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
			if (now - relay.waitingSince() > this.queueTimeoutNanos) {
				relay.queueTimedOut();
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
				// While there are connections, wake each second to expire idle and waiting ones.
				this.selector.select(this::dispatch, this.relays.isEmpty() ? 0 : 1000);
				for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
					task.run();
				}
				if (!this.waiting.isEmpty()) {
					retryWaiting();
				}
				closeIdle();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (SelectionKey key : this.selector.keys()) {
				closeQuietly(key);
			}
			List.copyOf(this.relays).forEach(Relay::close);
			closeQuietly(this.selector);
		}
	}

	/** Closes, once a second at most, the connections silent for longer than the idle timeout. */
	private void closeIdle() {
		long now = System.nanoTime();
		if (now - this.lastSweep < 1_000_000_000L) {
			return;
		}
		this.lastSweep = now;
		List<Relay> idle = new ArrayList<>();
		for (Relay relay : this.relays) {
			if (now - relay.lastActive() > this.idleTimeoutNanos) {
				idle.add(relay);
			}
		}
		idle.forEach(Relay::close);
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
