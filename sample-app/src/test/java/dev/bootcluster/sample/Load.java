package dev.bootcluster.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;

/**
 * Background traffic to a loopback port: one client sending request after request, each
 * on a new connection, until {@link #close closed} (the test's own deadlines bound it),
 * or until {@code maxRequests} or an optional {@code maxDuration}. The load's thread
 * appends results; the test's thread reads copies.
 */
final class Load implements AutoCloseable {

	private final List<Result> results = new CopyOnWriteArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread thread;

	/**
	 * @param maxDuration how long at most, or {@code null} for as long as it runs
	 */
	private Load(int port, String path, Duration maxDuration, int maxRequests) {
		long started = System.nanoTime();
		this.thread = new Thread(() -> {
			while (this.running.get() && this.results.size() < maxRequests
					&& (maxDuration == null || System.nanoTime() - started < maxDuration.toNanos())) {
				long sent = System.nanoTime();
				try {
					Http.Response response = Http.get(port, path);
					this.results.add(new Result(sent, response.status(), response.pid(), null));
				}
				catch (IOException | RuntimeException ex) {
					this.results.add(new Result(sent, 0, 0, ex.toString()));
				}
			}
		}, "load-" + port);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Runs until closed. */
	static Load start(int port, String path) {
		return new Load(port, path, null, Integer.MAX_VALUE);
	}

	/** Sends {@code count} requests, one after the other, however long they take. */
	static Load requests(int port, String path, int count) {
		return new Load(port, path, null, count);
	}

	static Load start(int port, String path, Duration maxDuration) {
		return new Load(port, path, maxDuration, 50_000);
	}

	static Load start(int port, String path, Duration maxDuration, int maxRequests) {
		return new Load(port, path, maxDuration, maxRequests);
	}

	/**
	 * Waits until {@code count} more requests have been answered (or failed) than now.
	 */
	void awaitMore(int count) {
		int now = this.results.size();
		await(count + " more requests").atMost(Duration.ofSeconds(90)).until(() -> this.results.size() >= now + count);
	}

	/** Waits until the load has stopped by itself (its count or its duration). */
	void awaitEnd(Duration timeout) throws InterruptedException {
		this.thread.join(timeout.toMillis());
		if (this.thread.isAlive()) {
			throw new AssertionError(
					"The load did not end within " + timeout + "; " + this.results.size() + " requests sent");
		}
	}

	List<Result> results() {
		return List.copyOf(this.results);
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.thread.join(Duration.ofSeconds(40).toMillis());
	}

	record Result(long startedNanos, int status, long pid, String error) {

		boolean ok() {
			return this.error == null && this.status == 200;
		}

	}

}
