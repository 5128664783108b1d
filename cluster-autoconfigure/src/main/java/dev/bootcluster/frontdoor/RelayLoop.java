package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An event loop that relays many connections on one thread with one selector. A failure
 * in one connection's handler or task closes that connection only; should the loop die
 * anyway, {@link #died} says so, for the primary to stop rather than serve half a port.
 * <p>
 * Threads: everything here belongs to the loop's own thread; other threads only
 * {@link #execute} tasks on it.
 */
final class RelayLoop implements Runnable {

	private static final Log logger = LogFactory.getLog(RelayLoop.class);

	private static final int BUFFER_SIZE = 64 * 1024;

	private final Selector selector;

	private final Routes routes;

	private final long queueTimeoutNanos;

	private final long idleTimeoutNanos;

	private final Admission admission;

	/** Completed with the cause if this loop ends other than by {@link #stop}. */
	private final CompletableFuture<Throwable> died;

	private final int maxHeaderSize;

	/**
	 * Requests lost with a worker (answered 502, or cut short); written by this loop's
	 * thread only.
	 */
	private volatile long failedRequests;

	/** Every connection this loop relays or holds waiting. */
	private final Set<Relay> relays = new HashSet<>();

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

	private ArrayDeque<Relay> waiting = new ArrayDeque<>();

	/** Tasks to run later, soonest first. */
	private final PriorityQueue<Timed> timed = new PriorityQueue<>();

	private long lastSweep = System.nanoTime();

	private volatile boolean running = true;

	/** How many of {@link #relays} there are, for other threads to read. */
	private volatile int open;

	RelayLoop(Routes routes, long queueTimeoutNanos, long idleTimeoutNanos, Admission admission,
			CompletableFuture<Throwable> died, int maxHeaderSize) {
		this.routes = routes;
		this.maxHeaderSize = maxHeaderSize;
		this.queueTimeoutNanos = queueTimeoutNanos;
		this.idleTimeoutNanos = idleTimeoutNanos;
		this.admission = admission;
		this.died = died;
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

	@Nullable Backend pick(List<Backend> refused, InetAddress client) {
		return this.routes.pick(refused, client);
	}

	void opened(Relay relay) {
		this.relays.add(relay);
		this.open = this.relays.size();
	}

	void closed(Relay relay) {
		this.relays.remove(relay);
		this.open = this.relays.size();
		this.admission.release();
	}

	int openConnections() {
		return this.open;
	}

	void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	/**
	 * A connection could not open its socket to a worker: if the process is out of file
	 * descriptors, the front door stops accepting for a while.
	 * @return whether that was the cause
	 */
	boolean outOfDescriptors(IOException ex) {
		return this.admission.outOfDescriptors(ex);
	}

	/**
	 * Runs {@code task} on this loop after {@code delayNanos}; from this loop's thread
	 * only.
	 */
	void schedule(Runnable task, long delayNanos) {
		this.timed.add(new Timed(System.nanoTime() + delayNanos, task));
	}

	/** Parks a connection until a worker is ready for it or the queue timeout passes. */
	void await(Relay relay) {
		this.waiting.add(relay);
	}

	/**
	 * Gives every waiting connection another chance; called when the ready workers
	 * change.
	 */
	void retryWaiting() {
		ArrayDeque<Relay> retry = this.waiting;
		this.waiting = new ArrayDeque<>();
		long now = System.nanoTime();
		for (Relay relay : retry) {
			runGuarded(() -> {
				if (now - relay.waitingSince() > this.queueTimeoutNanos) {
					relay.queueTimedOut();
				}
				else {
					relay.connect();
				}
			}, relay);
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
				this.selector.select(this::dispatch, selectTimeoutMillis());
				for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
					runGuarded(task, null);
				}
				runDue();
				if (!this.waiting.isEmpty()) {
					retryWaiting();
				}
				closeIdle();
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			if (this.running) {
				this.died.complete(ex);
			}
		}
		finally {
			for (SelectionKey key : this.selector.keys()) {
				closeQuietly(key);
			}
			List.copyOf(this.relays).forEach(Relay::close);
			closeQuietly(this.selector);
		}
	}

	/**
	 * While there are connections, wakes each second to expire idle and waiting ones;
	 * sooner for a timed task.
	 */
	private long selectTimeoutMillis() {
		long timeout = this.relays.isEmpty() ? 0 : 1000;
		Timed next = this.timed.peek();
		if (next == null) {
			return timeout;
		}
		long due = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.at - System.nanoTime()) + 1);
		return (timeout == 0) ? due : Math.min(timeout, due);
	}

	private void runDue() {
		long now = System.nanoTime();
		while (!this.timed.isEmpty() && this.timed.peek().at - now <= 0) {
			runGuarded(this.timed.poll().task, null);
		}
	}

	/** Runs a task; should it fail, closes {@code relay} (if given) and goes on. */
	private static void runGuarded(Runnable task, @Nullable Relay relay) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A front door task failed; the connection it was for is closed", ex);
			if (relay != null) {
				relay.close();
			}
		}
	}

	/**
	 * Closes, once a second at most, the connections silent for longer than the idle
	 * timeout.
	 */
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
		try {
			((Handler) key.attachment()).ready(key);
		}
		catch (RuntimeException ex) {
			logger.warn("A relayed connection failed unexpectedly; closed it", ex);
			abandon(key);
		}
	}

	/** Closes the connection behind a key whose handler failed; the loop goes on. */
	private static void abandon(SelectionKey key) {
		try {
			if (key.attachment() instanceof Relay relay) {
				relay.close();
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not close a failed connection in order", ex);
		}
		finally {
			// Never the listening socket: that would close the port for everyone.
			if (!(key.channel() instanceof ServerSocketChannel)) {
				closeQuietly(key);
			}
		}
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

	private record Timed(long at, Runnable task) implements Comparable<Timed> {

		@Override
		public int compareTo(Timed other) {
			return Long.compare(this.at - other.at, 0);
		}

	}

	/** What a selection key is attached to. */
	interface Handler {

		void ready(SelectionKey key);

	}

}
