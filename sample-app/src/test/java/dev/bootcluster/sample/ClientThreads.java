package dev.bootcluster.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Client threads that each repeat one exchange until closed; an exchange that throws is
 * reported and the next one starts on a new connection.
 */
final class ClientThreads implements AutoCloseable {

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running = true;

	boolean running() {
		return this.running;
	}

	/** Runs {@code exchange} again and again on a thread of its own. */
	void repeat(String name, Exchange exchange, List<String> failures) {
		Thread thread = new Thread(() -> {
			while (this.running) {
				try {
					exchange.run();
				}
				catch (IOException ex) {
					failures.add(name + ": " + ex);
				}
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		this.threads.add(thread);
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(60_000);
		}
	}

	@FunctionalInterface
	interface Exchange {

		void run() throws IOException;

	}

}
