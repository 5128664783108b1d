package dev.bootcluster.channel;

/**
 * A request on the exchange that got no answer: refused by the primary's service, timed
 * out, or cut off with its connection.
 */
public class ExchangeException extends RuntimeException {

	public ExchangeException(String message) {
		super(message);
	}

}
