package dev.bootcluster.frontdoor;

import java.nio.charset.StandardCharsets;

/**
 * The only HTTP responses the front door writes itself, each with
 * {@code Connection: close} because the connection ends after it.
 */
final class Replies {

	/** Malformed request framing: the worker never saw the request. */
	static final byte[] BAD_REQUEST = response("400 Bad Request", "");

	/** The worker went away without answering a request that could not be sent again. */
	static final byte[] BAD_GATEWAY = response("502 Bad Gateway", "");

	/** No worker became ready within the queue timeout. */
	static final byte[] SERVICE_UNAVAILABLE = response("503 Service Unavailable", "Retry-After: 1\r\n");

	private Replies() {
	}

	private static byte[] response(String status, String headers) {
		return ("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

}
