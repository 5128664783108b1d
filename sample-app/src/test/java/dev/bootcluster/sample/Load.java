package dev.bootcluster.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;

/**
 * Bounded background traffic to a loopback port: one client sending request after
 * request, each on a new connection, until stopped, for at most {@code maxDuration} or
 * {@code maxRequests}.
 */
final class Load implements AutoCloseable {

	private final List<Result> results = new CopyOnWriteArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread thread;

	private Load(int port, String path, Duration maxDuration, int maxRequests) {
		long deadline = System.nanoTime() + maxDuration.toNanos();
		this.thread = new Thread(() -> {
			while (this.running.get() && System.nanoTime() < deadline && this.results.size() < maxRequests) {
				long started = System.nanoTime();
				try {
					Http.Response response = Http.get(port, path);
					this.results.add(new Result(started, response.status(), response.pid(), null));
				}
				catch (IOException | RuntimeException ex) {
					this.results.add(new Result(started, 0, 0, ex.toString()));
				}
			}
		}, "load-" + port);
		this.thread.start();
	}

	static Load start(int port, String path) {
		return start(port, path, Duration.ofSeconds(60));
	}

	static Load start(int port, String path, Duration maxDuration) {
		return new Load(port, path, maxDuration, 50_000);
	}

	static Load start(int port, String path, Duration maxDuration, int maxRequests) {
		return new Load(port, path, maxDuration, maxRequests);
	}

	/** Waits until {@code count} more requests have been answered (or failed) than now. */
	void awaitMore(int count) {
		int now = this.results.size();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.results.size() >= now + count);
	}

	/** Waits until the load has stopped by itself (its count or its duration). */
	void awaitEnd(Duration timeout) throws InterruptedException {
		this.thread.join(timeout.toMillis());
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
