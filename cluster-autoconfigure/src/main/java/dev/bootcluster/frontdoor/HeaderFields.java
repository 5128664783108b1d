package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The header fields of one HTTP/1.x message head that decide its framing (RFC 9112 §6):
 * {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection} and
 * {@code Upgrade}; every other field is only checked to be well formed. Strict on
 * purpose: obs-fold, whitespace before the colon, a bare CR or LF, and a
 * {@code Content-Length} that is not one plain number make the head {@link #malformed()},
 * because two parsers that read such a head differently are how requests are smuggled.
 * <p>
 * Threads: reused for every head of one connection, by the relay loop that owns it.
 */
final class HeaderFields {

	private static final byte[] CONTENT_LENGTH = ascii("content-length");

	private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");

	private static final byte[] CONNECTION = ascii("connection");

	private static final byte[] UPGRADE = ascii("upgrade");

	private static final byte[] CHUNKED = ascii("chunked");

	private static final byte[] CLOSE = ascii("close");

	private static final byte[] KEEP_ALIVE = ascii("keep-alive");

	private static final int MAX_LENGTH_DIGITS = 18;

	private boolean malformed;

	private long contentLength;

	private boolean badContentLength;

	private boolean transferEncoding;

	private int chunkedCodings;

	private boolean lastCodingChunked;

	private boolean close;

	private boolean keepAlive;

	private boolean upgrade;

	/**
	 * Reads the fields from {@code from} (the line after the start line) to the empty
	 * line.
	 */
	void parse(ByteBuffer head, int from, int limit) {
		this.malformed = false;
		this.contentLength = -1;
		this.badContentLength = false;
		this.transferEncoding = false;
		this.chunkedCodings = 0;
		this.lastCodingChunked = false;
		this.close = false;
		this.keepAlive = false;
		this.upgrade = false;
		int line = from;
		while (!this.malformed) {
			int end = lineEnd(head, line, limit);
			if (end < 0) {
				this.malformed = true;
				return;
			}
			if (end == line) {
				return;
			}
			field(head, line, end);
			line = end + 2;
		}
	}

	/**
	 * Where the line that starts at {@code from} ends: the index of its CR, which must be
	 * followed by LF; -1 for a bare CR or LF, or no line end before {@code limit}.
	 */
	static int lineEnd(ByteBuffer head, int from, int limit) {
		for (int i = from; i < limit; i++) {
			byte b = head.get(i);
			if (b == '\n') {
				return -1;
			}
			if (b == '\r') {
				return (i + 1 < limit && head.get(i + 1) == '\n') ? i : -1;
			}
		}
		return -1;
	}

	private void field(ByteBuffer head, int from, int end) {
		int colon = from;
		while (colon < end && isTokenChar(head.get(colon))) {
			colon++;
		}
		// Covers obs-fold (a line starting with whitespace), "Name : value" and an empty
		// name.
		if (colon == from || colon == end || head.get(colon) != ':') {
			this.malformed = true;
			return;
		}
		int value = colon + 1;
		for (int i = value; i < end; i++) {
			byte b = head.get(i);
			if ((b < 0x20 && b != '\t') || b == 0x7f) {
				this.malformed = true;
				return;
			}
		}
		int valueStart = skipWhitespace(head, value, end);
		int valueEnd = trimWhitespace(head, valueStart, end);
		if (equalsIgnoreCase(head, from, colon, CONTENT_LENGTH)) {
			contentLength(head, valueStart, valueEnd);
		}
		else if (equalsIgnoreCase(head, from, colon, TRANSFER_ENCODING)) {
			this.transferEncoding = true;
			forEachElement(head, valueStart, valueEnd, true);
		}
		else if (equalsIgnoreCase(head, from, colon, CONNECTION)) {
			forEachElement(head, valueStart, valueEnd, false);
		}
		else if (equalsIgnoreCase(head, from, colon, UPGRADE)) {
			this.upgrade = true;
		}
	}

	private void contentLength(ByteBuffer head, int from, int end) {
		long length = 0;
		if (end == from || end - from > MAX_LENGTH_DIGITS) {
			this.badContentLength = true;
			return;
		}
		for (int i = from; i < end; i++) {
			byte b = head.get(i);
			if (b < '0' || b > '9') {
				this.badContentLength = true;
				return;
			}
			length = length * 10 + (b - '0');
		}
		if (this.contentLength >= 0 && this.contentLength != length) {
			this.badContentLength = true;
		}
		this.contentLength = length;
	}

	private void coding(ByteBuffer head, int from, int end) {
		this.lastCodingChunked = equalsIgnoreCase(head, from, end, CHUNKED);
		if (this.lastCodingChunked) {
			this.chunkedCodings++;
		}
	}

	private void connectionOption(ByteBuffer head, int from, int end) {
		if (equalsIgnoreCase(head, from, end, CLOSE)) {
			this.close = true;
		}
		else if (equalsIgnoreCase(head, from, end, KEEP_ALIVE)) {
			this.keepAlive = true;
		}
	}

	/**
	 * Reads each non-empty element of a comma-separated list, without whitespace: codings
	 * or options.
	 */
	private void forEachElement(ByteBuffer head, int from, int end, boolean codings) {
		int start = from;
		for (int i = from; i <= end; i++) {
			if (i == end || head.get(i) == ',') {
				int elementStart = skipWhitespace(head, start, i);
				int elementEnd = trimWhitespace(head, elementStart, i);
				if (elementEnd > elementStart) {
					if (codings) {
						coding(head, elementStart, elementEnd);
					}
					else {
						connectionOption(head, elementStart, elementEnd);
					}
				}
				start = i + 1;
			}
		}
	}

	private static int skipWhitespace(ByteBuffer head, int from, int end) {
		while (from < end && isWhitespace(head.get(from))) {
			from++;
		}
		return from;
	}

	private static int trimWhitespace(ByteBuffer head, int from, int end) {
		while (end > from && isWhitespace(head.get(end - 1))) {
			end--;
		}
		return end;
	}

	private static boolean isWhitespace(byte b) {
		return b == ' ' || b == '\t';
	}

	/** RFC 9110 §5.6.2 tchar. */
	static boolean isTokenChar(byte b) {
		return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '!' || b == '#'
				|| b == '$' || b == '%' || b == '&' || b == '\'' || b == '*' || b == '+' || b == '-' || b == '.'
				|| b == '^' || b == '_' || b == '`' || b == '|' || b == '~';
	}

	static boolean equalsIgnoreCase(ByteBuffer head, int from, int end, byte[] lowerCase) {
		return matches(head, from, end, lowerCase, true);
	}

	/**
	 * Whether the bytes from..end are {@code expected}; with {@code ignoreCase}, expected
	 * is in lower case.
	 */
	static boolean matches(ByteBuffer head, int from, int end, byte[] expected, boolean ignoreCase) {
		if (end - from != expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			byte b = head.get(from + i);
			if (ignoreCase && b >= 'A' && b <= 'Z') {
				b += 'a' - 'A';
			}
			if (b != expected[i]) {
				return false;
			}
		}
		return true;
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	boolean malformed() {
		return this.malformed;
	}

	/** The one length the head gives, or -1 when it has none. */
	long contentLength() {
		return this.contentLength;
	}

	/** Conflicting lengths, or one that is not a plain decimal number. */
	boolean badContentLength() {
		return this.badContentLength;
	}

	boolean hasTransferEncoding() {
		return this.transferEncoding;
	}

	/** Chunked is the last transfer coding, and appears only once. */
	boolean chunked() {
		return this.lastCodingChunked && this.chunkedCodings == 1;
	}

	boolean close() {
		return this.close;
	}

	boolean keepAlive() {
		return this.keepAlive;
	}

	boolean upgrade() {
		return this.upgrade;
	}

}
