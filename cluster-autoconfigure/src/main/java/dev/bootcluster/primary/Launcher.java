package dev.bootcluster.primary;

import java.io.IOException;

/**
 * Starts worker processes for the arbiter: forks JVMs ({@link WorkerLauncher}), or fakes
 * them in tests.
 * <p>
 * Threads: the arbiter thread.
 */
interface Launcher {

	/**
	 * Starts the worker for slot {@code id}, running the given generation of the code.
	 */
	WorkerHandle launch(int id, int generation) throws IOException;

	/** Workers launched from now on are told the cluster has {@code count} workers. */
	void workerCount(int count);

	/**
	 * Workers launched from now on run with these settings (JVM arguments, log prefix,
	 * heartbeats and limits); the count is {@link #workerCount}'s.
	 */
	void use(ClusterSettings settings);

	/**
	 * Every worker is ready: the moment for work that must not delay serving (the boot
	 * cache's training).
	 */
	default void allReady() {
	}

	/**
	 * A reload has replaced every worker: caches of versions no worker runs any more may
	 * go.
	 */
	default void reloadSucceeded() {
	}

}
