package dev.bootcluster.primary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;

/**
 * With {@code cluster.worker.log-prefix=true}: copies a worker's output to the primary's,
 * each line behind {@code [worker N] } (like pm2), whole lines at a time so that workers'
 * lines never interleave.
 * <p>
 * Threads: one daemon thread per worker stream; writes are serialised on the target
 * stream.
 */
final class WorkerOutput {

	private WorkerOutput() {
	}

	static void copy(InputStream from, PrintStream to, int workerId) {
		String prefix = "[worker " + workerId + "] ";
		Thread copier = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(from))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					synchronized (to) {
						to.println(prefix + line);
					}
				}
			}
			catch (IOException ex) {
				// the worker is gone; so is its output
			}
		}, "cluster-worker-" + workerId + "-output");
		copier.setDaemon(true);
		copier.start();
	}

}
