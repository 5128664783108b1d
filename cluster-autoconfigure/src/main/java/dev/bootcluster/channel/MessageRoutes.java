package dev.bootcluster.channel;

/**
 * The exchange's {@value #SERVICE} service, as both ends name it: a worker's request to
 * it says the receiver (a worker id, or {@value #ALL_OTHERS}) and the topic, in that
 * order.
 */
public final class MessageRoutes {

	/** The service that routes messages between workers. */
	public static final String SERVICE = "messages";

	/** The receiver that means every other ready worker. */
	public static final String ALL_OTHERS = "*";

	private MessageRoutes() {
	}

}
