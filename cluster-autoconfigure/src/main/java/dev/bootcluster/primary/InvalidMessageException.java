package dev.bootcluster.primary;

/**
 * A control message the primary cannot use: too few fields, or one that is not what its
 * type says. The worker that sent it is cut off and replaced.
 */
final class InvalidMessageException extends RuntimeException {

	InvalidMessageException(String message) {
		super(message);
	}

}
