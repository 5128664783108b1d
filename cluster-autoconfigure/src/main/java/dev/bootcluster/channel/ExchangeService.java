package dev.bootcluster.channel;

/**
 * A service the primary offers on the exchange, by name: it answers requests with
 * {@link FrameConnection#reply}, from any thread.
 */
@FunctionalInterface
public interface ExchangeService {

	/**
	 * A worker's request, in the order that worker sent it. Called on the connection's
	 * reader thread: hand over and return; blocking here pushes back on that worker only.
	 */
	void receive(Frame request, FrameConnection from) throws InterruptedException;

}
