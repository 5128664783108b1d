package dev.bootcluster.channel;

/**
 * A service the primary offers on the exchange, by name: it answers requests with
 * {@link FrameConnection#reply}, from any thread.
 */
@FunctionalInterface
public interface ExchangeService {

	/**
	 * A worker's request, or its answer (reply or failure) to a message this service
	 * pushed to it, in the order that worker sent them. Called on the connection's reader
	 * thread: a service that answers quickly answers here (its reply then usually goes
	 * out on this thread, with no hand-off); one that may take long hands over and
	 * returns. Blocking here pushes back on that worker only.
	 */
	void receive(Frame frame, FrameConnection from) throws InterruptedException;

	/** A worker proved itself and may now be sent messages; on its reader thread. */
	default void connected(FrameConnection worker) {
	}

	/** An authenticated worker's connection closed; on its reader thread, last. */
	default void closed(FrameConnection worker) {
	}

}
