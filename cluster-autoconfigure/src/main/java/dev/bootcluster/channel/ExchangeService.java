package dev.bootcluster.channel;

/**
 * A service the primary offers on the exchange, by name: it answers requests with
 * {@link FrameConnection#reply}, from any thread.
 */
@FunctionalInterface
public interface ExchangeService {

	/**
	 * A worker's request, in the order that worker sent it. Called on the connection's
	 * reader thread: a service that answers quickly answers here (its reply then usually
	 * goes out on this thread, with no hand-off); one that may take long hands over and
	 * returns. Blocking here pushes back on that worker only.
	 */
	void receive(Frame request, FrameConnection from) throws InterruptedException;

}
