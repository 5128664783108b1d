package dev.bootcluster.channel;

/**
 * Bytes on the exchange that are not a frame this version understands, or a frame whose
 * headers are not what its service needs.
 */
public class MalformedFrameException extends RuntimeException {

	public MalformedFrameException(String problem) {
		super(problem);
	}

}
