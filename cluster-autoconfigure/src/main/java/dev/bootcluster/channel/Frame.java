package dev.bootcluster.channel;

import java.util.List;

/**
 * One frame of the {@linkplain ExchangeServer exchange}: what kind it is, the correlation
 * id that pairs a reply with its request, the service it is for, a few header strings and
 * opaque payload bytes (the primary never reads a payload).
 *
 * @param kind what the frame is
 * @param correlation pairs a reply with its request; chosen by the requester
 * @param service the service in the primary that handles it, such as {@code sessions}
 * @param headers a few strings the service reads
 * @param payload bytes only the workers understand
 */
public record Frame(Kind kind, long correlation, String service, List<String> headers, byte[] payload) {

	private static final byte[] EMPTY = new byte[0];

	public Frame {
		headers = List.copyOf(headers);
	}

	/** A request to {@code service}. */
	public static Frame request(long correlation, String service, List<String> headers, byte[] payload) {
		return new Frame(Kind.REQUEST, correlation, service, headers, payload);
	}

	/** The answer to this request. */
	public Frame reply(List<String> headers, byte[] payload) {
		return new Frame(Kind.REPLY, this.correlation, this.service, headers, payload);
	}

	/** Tells the requester that this request failed, and why. */
	public Frame failure(String reason) {
		return new Frame(Kind.FAILURE, this.correlation, this.service, List.of(reason), EMPTY);
	}

	/** The header at {@code index}. */
	public String header(int index) {
		if (index >= this.headers.size()) {
			throw new MalformedFrameException("a " + this.service + " frame has " + this.headers.size()
					+ " header(s), at least " + (index + 1) + " expected");
		}
		return this.headers.get(index);
	}

	/** What a frame is. */
	public enum Kind {

		/** A worker proves who it is: protocol version, worker id, pid, launch token. */
		HELLO,

		/** A worker asks a service. */
		REQUEST,

		/** A service answers a request. */
		REPLY,

		/** A request could not be served; the first header says why. */
		FAILURE

	}

}
