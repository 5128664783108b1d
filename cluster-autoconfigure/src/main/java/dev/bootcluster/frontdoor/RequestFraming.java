package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where each HTTP/1.x request a client sends begins and ends (RFC 9112), read as the
 * bytes go through: the head is parsed, the body only counted. A request is let through
 * only once its head is read and its framing is sound; a head this front door does not
 * understand (not HTTP/1.0 or 1.1: TLS, the HTTP/2 preface, garbage) turns the connection
 * into a plain byte pipe, and framing that two servers could read differently
 * (conflicting lengths, {@code Content-Length} with {@code chunked}, a coding other than
 * chunked last, a bad chunk) is {@link Step#BAD}: the client gets a 400 and the worker
 * never sees it.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class RequestFraming {

	enum Step {

		/**
		 * The bytes read are part of a head that goes on in the next read; they are kept
		 * here.
		 */
		MORE,

		/** A head was read: {@link #head()} holds it, to pass on. */
		HEAD,

		/**
		 * The bytes read are body (or, in a pipe, anything): pass them on as they are.
		 */
		BODY,

		/** The request's framing is broken: answer 400 and close. */
		BAD

	}

	private enum State {

		START, HEAD, BODY, PIPE, BAD

	}

	private static final byte[][] IDEMPOTENT = { HeaderFields.ascii("GET"), HeaderFields.ascii("HEAD"),
			HeaderFields.ascii("OPTIONS"), HeaderFields.ascii("TRACE"), HeaderFields.ascii("PUT"),
			HeaderFields.ascii("DELETE") };

	private static final byte[] HEAD_METHOD = HeaderFields.ascii("HEAD");

	private static final byte[] CONNECT = HeaderFields.ascii("CONNECT");

	private final HeadReader reader;

	private final HeaderFields fields = new HeaderFields();

	private final MessageBody body;

	private State state = State.START;

	/** How much of the method has been read, until the space after it (-1 then). */
	private int methodLength;

	private boolean idempotent;

	private boolean headMethod;

	private boolean close;

	RequestFraming(int maxHeaderSize) {
		this.reader = new HeadReader(maxHeaderSize);
		this.body = new MessageBody(maxHeaderSize);
	}

	/** Whether these bytes begin with a whole HTTP/1.0 or 1.1 request line. */
	static boolean startsHttp1Request(ByteBuffer data) {
		int start = data.position();
		int methodEnd = start;
		while (methodEnd < data.limit() && HeaderFields.isTokenChar(data.get(methodEnd))) {
			methodEnd++;
		}
		int lineEnd = HeaderFields.lineEnd(data, start, data.limit());
		return methodEnd > start && lineEnd > methodEnd && StartLine.requestVersion(data, methodEnd, lineEnd) >= 0;
	}

	/** Between requests: the next byte begins a new one. */
	boolean atStart() {
		return this.state == State.START;
	}

	/** Part of a head has been read (and is kept here), not all of it. */
	boolean readingHead() {
		return this.state == State.HEAD;
	}

	/** No longer read as HTTP/1.x: everything passes as it is. */
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
	 * Reads from the buffer's position on, at most to the end of the current head or
	 * body.
	 */
	Step advance(ByteBuffer data) {
		switch (this.state) {
			case START -> {
				if (!HeaderFields.isTokenChar(data.get(data.position()))) {
					// Not a method: TLS, a blank line, binary garbage.
					this.state = State.PIPE;
					return advance(data);
				}
				this.state = State.HEAD;
				this.methodLength = 0;
				return advance(data);
			}
			case HEAD -> {
				if (this.methodLength >= 0 && !readsMethod(data)) {
					// Not a request line: whatever it is, it passes as it is (the relay
					// takes what was kept).
					this.state = State.PIPE;
					return Step.MORE;
				}
				return switch (this.reader.read(data)) {
					case MORE -> Step.MORE;
					case TOO_LARGE -> bad();
					case COMPLETE -> readHead();
				};
			}
			case BODY -> {
				return switch (this.body.advance(data)) {
					case MORE -> Step.BODY;
					case DONE -> {
						this.state = State.START;
						yield Step.BODY;
					}
					case BAD -> bad();
				};
			}
			case PIPE -> {
				data.position(data.limit());
				return Step.BODY;
			}
			default -> {
				return Step.BAD;
			}
		}
	}

	/** Whether the bytes so far can begin a request line: a method, then a space. */
	private boolean readsMethod(ByteBuffer data) {
		for (int i = data.position(); i < data.limit() && this.methodLength >= 0; i++) {
			byte b = data.get(i);
			if (b == ' ' && this.methodLength > 0) {
				this.methodLength = -1;
			}
			else if (HeaderFields.isTokenChar(b)) {
				this.methodLength++;
			}
			else {
				return false;
			}
		}
		return true;
	}

	private Step bad() {
		this.state = State.BAD;
		return Step.BAD;
	}

	private Step readHead() {
		ByteBuffer head = Objects.requireNonNull(this.reader.head(), "No head read");
		int start = this.reader.start();
		int end = this.reader.end();
		int methodEnd = start;
		while (HeaderFields.isTokenChar(head.get(methodEnd))) {
			methodEnd++;
		}
		int lineEnd = HeaderFields.lineEnd(head, start, end);
		int version = (lineEnd < 0) ? -1 : StartLine.requestVersion(head, methodEnd, lineEnd);
		if (version < 0 || equals(head, start, methodEnd, CONNECT)) {
			// Not HTTP/1.x (the HTTP/2 preface, say), or a tunnel: pass it on and never
			// look again.
			this.state = State.PIPE;
			return Step.HEAD;
		}
		this.fields.parse(head, lineEnd + 2, end);
		if (this.fields.malformed()) {
			return bad();
		}
		this.headMethod = equals(head, start, methodEnd, HEAD_METHOD);
		this.idempotent = false;
		for (byte[] method : IDEMPOTENT) {
			this.idempotent |= equals(head, start, methodEnd, method);
		}
		this.close = this.fields.close() || (version == 0 && !this.fields.keepAlive());
		if (this.fields.hasTransferEncoding()) {
			// RFC 9112 §6.1 and §6.3: with Content-Length, in HTTP/1.0, or not chunked
			// last, the length is unknown.
			if (this.fields.contentLength() >= 0 || this.fields.badContentLength() || version == 0
					|| !this.fields.chunked()) {
				return bad();
			}
			this.body.chunked();
		}
		else if (this.fields.badContentLength()) {
			return bad();
		}
		else {
			this.body.length(Math.max(0, this.fields.contentLength()));
		}
		if (this.fields.upgrade()) {
			// The worker may switch protocols after this head; what follows is not ours
			// to read.
			this.state = State.PIPE;
			return Step.HEAD;
		}
		boolean noBody = !this.fields.hasTransferEncoding() && this.fields.contentLength() <= 0;
		this.state = noBody ? State.START : State.BODY;
		return Step.HEAD;
	}

	private static boolean equals(ByteBuffer head, int from, int end, byte[] method) {
		return HeaderFields.matches(head, from, end, method, false);
	}

	/** The head just read ({@link Step#HEAD}), to pass on and then let go. */
	HeadReader head() {
		return this.reader;
	}

	/**
	 * The request just read may be sent again if it was not answered (RFC 9110 §9.2.2).
	 */
	boolean idempotent() {
		return this.idempotent;
	}

	/** The request just read is a HEAD: its response has no body. */
	boolean headMethod() {
		return this.headMethod;
	}

	/** The request just read asked to close the connection after its response. */
	boolean asksToClose() {
		return this.close;
	}

}
