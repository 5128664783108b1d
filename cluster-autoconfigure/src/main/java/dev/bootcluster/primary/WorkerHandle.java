package dev.bootcluster.primary;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the arbiter can do to a worker's process: the seam between the supervision
 * policies and the operating system ({@link ForkedProcess}), faked in tests.
 * <p>
 * Threads: called on the arbiter thread; {@link #onExit} completes on another.
 */
interface WorkerHandle {

	long pid();

	/**
	 * The loopback port it was told to serve each extra port on, by name (none without
	 * {@code cluster.front-door.extra-ports}).
	 */
	Map<String, Integer> extraPorts();

	/** Completes with the exit value when the process has ended. */
	CompletableFuture<Integer> onExit();

	/**
	 * It is ready for the first time: from now on it yields the CPU to workers that are
	 * starting ({@code cluster.worker.serving-nice}).
	 */
	void serving();

	/** Asks it to stop gracefully: SIGTERM, so Boot's graceful shutdown runs. */
	void terminate();

	/** Ends it at once: SIGKILL. */
	void kill();

	/** Asks the JVM to print every thread's stack to its output: SIGQUIT. */
	void requestThreadDump();

	/** Its resident memory in bytes, or 0 when unknown. */
	long residentMemory();

	/** Cleans up after the process has ended (files it left behind). */
	void exited();

}
