package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides when the front door accepts new connections. At {@code maxConnections} open
 * connections, or while the process is out of file descriptors (EMFILE, ENFILE), its
 * listening sockets stop being selected for accept: new connections wait in the kernel's
 * backlog, not in the primary's memory, and no loop spins on a socket it cannot accept.
 * Accepting resumes when a connection closes, and, out of file descriptors, after a retry
 * delay (100 ms, doubling to 1 s) in case descriptors were freed elsewhere. One WARN per
 * episode: shortages less than {@link #EPISODE_GAP_NANOS} apart are one.
 * <p>
 * Threads: the count of open connections is shared (counted by the accepting loop,
 * released by whichever loop closes the connection); the listening keys, the paused
 * state's changes to them and the retry delay belong to the accepting loop's thread,
 * which other threads only ask with a task.
 */
final class Admission {

	private static final Log logger = LogFactory.getLog(Admission.class);

	private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long EPISODE_GAP_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final int maxConnections;

	private final AtomicInteger open = new AtomicInteger();

	/** Whether the listening keys are out of selection; written by the accepting loop. */
	private volatile boolean paused;

	private final List<SelectionKey> listeners = new ArrayList<>();

	private @Nullable RelayLoop acceptingLoop;

	/** Out of file descriptors: the delay before the next try. */
	private long retryNanos;

	/** When descriptors last ran out; 0 if never. */
	private long shortageAt;

	Admission(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * Before the loops start: the listening keys, registered with {@code acceptingLoop}.
	 */
	void acceptOn(RelayLoop acceptingLoop, List<SelectionKey> listeners) {
		this.acceptingLoop = acceptingLoop;
		this.listeners.addAll(listeners);
	}

	int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * Counts a connection about to be accepted; at the limit, pauses accepting instead.
	 * @return whether to accept one
	 */
	boolean tryAdmit() {
		if (this.open.incrementAndGet() <= this.maxConnections) {
			return true;
		}
		this.open.decrementAndGet();
		pause();
		// A connection that closed between the count and the pause saw nothing to resume.
		if (this.open.get() < this.maxConnections) {
			resume();
		}
		return false;
	}

	/** Uncounts a connection admitted but not accepted after all (none was waiting). */
	void notAccepted() {
		this.open.decrementAndGet();
	}

	/** A connection closed: one more may come in. Any thread. */
	void release() {
		this.open.decrementAndGet();
		if (this.paused) {
			acceptingLoop().execute(this::resume);
		}
	}

	/**
	 * An accept, or a connect to a worker on another loop, failed: on EMFILE or ENFILE,
	 * pauses accepting and tries again later. Any thread.
	 * @return whether it was that
	 */
	boolean outOfDescriptors(IOException ex) {
		if (!isOutOfDescriptors(ex)) {
			return false;
		}
		acceptingLoop().execute(() -> shortage(ex));
		return true;
	}

	private RelayLoop acceptingLoop() {
		return Objects.requireNonNull(this.acceptingLoop, "Admission is used before its listeners are registered");
	}

	private void shortage(IOException ex) {
		long now = System.nanoTime();
		if (this.shortageAt == 0 || now - this.shortageAt > EPISODE_GAP_NANOS) {
			logger.warn("Out of file descriptors (" + ex.getMessage() + "): not accepting new connections until some"
					+ " are free; they wait in the listen backlog. Raise the process's limit (ulimit -n) or lower"
					+ " cluster.front-door.max-connections (" + this.maxConnections + ")");
			this.retryNanos = FIRST_RETRY_NANOS;
		}
		else {
			this.retryNanos = Math.min(this.retryNanos * 2, MAX_RETRY_NANOS);
		}
		this.shortageAt = now;
		pause();
		acceptingLoop().schedule(this::resume, this.retryNanos);
	}

	/** Whether {@code ex} is EMFILE (this process) or ENFILE (the whole system). */
	private static boolean isOutOfDescriptors(IOException ex) {
		return ex.getMessage() != null && ex.getMessage().contains("Too many open files");
	}

	int openConnections() {
		return this.open.get();
	}

	private void pause() {
		this.paused = true;
		interest(0);
	}

	private void resume() {
		if (this.paused) {
			this.paused = false;
			interest(SelectionKey.OP_ACCEPT);
		}
	}

	private void interest(int ops) {
		for (SelectionKey key : this.listeners) {
			if (key.isValid()) {
				key.interestOps(ops);
			}
		}
	}

}
