package dev.bootcluster.channel;

/**
 * A control message whose fields are not what its type needs: too few, or not a number
 * where one is expected. Most likely from a worker of another version of the starter.
 */
public class MalformedMessageException extends RuntimeException {

	private final transient Message malformed;

	public MalformedMessageException(Message message, String problem) {
		super("Malformed " + message.type() + " message: " + problem);
		this.malformed = message;
	}

	/** The message that was refused. */
	public Message malformed() {
		return this.malformed;
	}

}
