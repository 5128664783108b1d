package dev.bootcluster.primary;

import dev.bootcluster.channel.Message;

/**
 * The arbiter's end of one worker's control channel.
 * <p>
 * Threads: the arbiter thread.
 */
interface WorkerChannel {

	/**
	 * Sends a message; one that cannot be sent is dropped (the worker's exit is on the
	 * way).
	 */
	void send(Message message);

	/** Cuts the worker off: the control server then reports the channel closed. */
	void close();

}
