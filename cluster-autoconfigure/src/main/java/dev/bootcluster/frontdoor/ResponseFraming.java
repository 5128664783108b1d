package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where each HTTP/1.x response a worker sends begins and ends (RFC 9112 §6.3), matched to
 * the requests sent before it, read as the bytes go through: the head is parsed, the body
 * only counted. Interim {@code 1xx} responses are not answers; a response to
 * {@code HEAD}, a {@code 204} or a {@code 304} has no body; one with neither a length nor
 * chunked coding ends with the connection. A {@code 101}, or a head it does not
 * understand, turns the connection into a plain byte pipe.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class ResponseFraming {

	/**
	 * How many requests may wait for their responses at once (pipelining); the client
	 * waits above it.
	 */
	static final int MAX_OUTSTANDING = 64;

	enum Step {

		/**
		 * The bytes read are part of a head that goes on in the next read; they are kept
		 * here.
		 */
		MORE,

		/** An interim (1xx) head was read: {@link #head()} holds it, to pass on. */
		INTERIM,

		/** A final response's head was read: {@link #head()} holds it, to pass on. */
		HEAD,

		/**
		 * The bytes read are body (or, in a pipe, anything): pass them on as they are.
		 */
		BODY

	}

	private enum State {

		START, HEAD, BODY, PIPE

	}

	private static final byte[] HTTP_1 = HeaderFields.ascii("HTTP/1.");

	private final HeadReader reader;

	private final HeaderFields fields = new HeaderFields();

	private final MessageBody body;

	private State state = State.START;

	/** How much of "HTTP/1." the head has begun with so far. */
	private int prefixMatched;

	/** Requests sent whose response has not ended. */
	private int outstanding;

	/** Bit i: the i-th outstanding request is a HEAD. */
	private long headRequests;

	private boolean closeAfter;

	ResponseFraming(int maxHeaderSize) {
		this.reader = new HeadReader(maxHeaderSize);
		this.body = new MessageBody(maxHeaderSize);
	}

	/**
	 * A request was sent to the worker; its response comes after those of the ones
	 * before.
	 */
	void requestSent(boolean head) {
		if (head) {
			this.headRequests |= 1L << this.outstanding;
		}
		this.outstanding++;
	}

	int outstanding() {
		return this.outstanding;
	}

	/** No request waits for its response and none is on its way. */
	boolean idle() {
		return this.outstanding == 0 && this.state == State.START;
	}

	/** No response is under way: the next byte would begin one. */
	boolean atResponseBoundary() {
		return this.state == State.START;
	}

	/**
	 * A final response has begun and not ended: cutting it short leaves the client
	 * mid-response.
	 */
	boolean answering() {
		return this.state == State.BODY;
	}

	/** The response under way ends only when the worker closes the connection. */
	boolean endsWithInput() {
		return this.state == State.BODY && this.body.endsWithInput();
	}

	/** The last response asked to close the connection after it. */
	boolean closeAfter() {
		return this.closeAfter;
	}

	boolean isPipe() {
		return this.state == State.PIPE;
	}

	/**
	 * From now on passes everything as it is, and hands back a partial head it kept (or
	 * null).
	 */
	@Nullable ByteBuffer pipe() {
		this.state = State.PIPE;
		return this.reader.takeKept();
	}

	/**
	 * A new worker will answer the outstanding requests: forget a partial head from the
	 * old one.
	 */
	void restart() {
		this.reader.takeKept();
		this.state = State.START;
	}

	/**
	 * Reads from the buffer's position on, at most to the end of the current head or
	 * body.
	 */
	Step advance(ByteBuffer data) {
		switch (this.state) {
			case START -> {
				this.state = State.HEAD;
				this.prefixMatched = 0;
				return advance(data);
			}
			case HEAD -> {
				if (!readsPrefix(data)) {
					// Not an HTTP/1.x response: it passes as it is (the relay takes what
					// was kept).
					this.state = State.PIPE;
					return Step.MORE;
				}
				return switch (this.reader.read(data)) {
					case MORE -> Step.MORE;
					case TOO_LARGE -> {
						// Not a head this front door understands: pass everything on as
						// it is.
						this.state = State.PIPE;
						data.position(data.limit());
						yield Step.BODY;
					}
					case COMPLETE -> readHead();
				};
			}
			case BODY -> {
				MessageBody.Result result = this.body.advance(data);
				if (result != MessageBody.Result.MORE) {
					// A broken chunked response is passed on as it is: the connection is
					// a pipe from then on.
					ended(result == MessageBody.Result.BAD);
				}
				return Step.BODY;
			}
			default -> {
				data.position(data.limit());
				return Step.BODY;
			}
		}
	}

	private boolean readsPrefix(ByteBuffer data) {
		for (int i = data.position(); i < data.limit() && this.prefixMatched < HTTP_1.length; i++) {
			if (data.get(i) != HTTP_1[this.prefixMatched++]) {
				return false;
			}
		}
		return true;
	}

	private Step readHead() {
		ByteBuffer head = Objects.requireNonNull(this.reader.head(), "No head read");
		int start = this.reader.start();
		int end = this.reader.end();
		int lineEnd = HeaderFields.lineEnd(head, start, end);
		int version = (lineEnd < 0) ? -1 : StartLine.responseVersion(head, start, lineEnd);
		int status = (version < 0) ? -1 : StartLine.status(head, start, lineEnd);
		if (status < 100 || status == 101) {
			this.state = State.PIPE;
			return Step.HEAD;
		}
		if (status < 200) {
			this.state = State.START;
			return Step.INTERIM;
		}
		this.fields.parse(head, lineEnd + 2, end);
		boolean headRequest = (this.headRequests & 1) != 0;
		if (this.fields.malformed() || (this.fields.badContentLength() && !this.fields.hasTransferEncoding())) {
			this.state = State.PIPE;
			return Step.HEAD;
		}
		this.closeAfter = this.fields.close() || (version == 0 && !this.fields.keepAlive());
		if (headRequest || status == 204 || status == 304) {
			ended(false);
			return Step.HEAD;
		}
		if (this.fields.hasTransferEncoding()) {
			if (this.fields.chunked()) {
				this.body.chunked();
			}
			else {
				this.body.untilEndOfInput();
			}
		}
		else if (this.fields.contentLength() >= 0) {
			this.body.length(this.fields.contentLength());
			if (this.fields.contentLength() == 0) {
				ended(false);
				return Step.HEAD;
			}
		}
		else {
			this.body.untilEndOfInput();
		}
		this.state = State.BODY;
		return Step.HEAD;
	}

	private void ended(boolean broken) {
		this.state = broken ? State.PIPE : State.START;
		if (this.outstanding > 0) {
			this.outstanding--;
			this.headRequests >>>= 1;
		}
	}

	/** The head just read ({@link Step#HEAD}), to pass on and then let go. */
	HeadReader head() {
		return this.reader;
	}

}
