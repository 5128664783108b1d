package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client's bytes that the current worker has not begun to answer: normally one small
 * HTTP request, kept so that it can be sent again to another worker if a retiring worker
 * closes the connection without answering it. Up to {@link #LIMIT} bytes; a larger
 * request (an upload, say) is not kept, and so not replayed.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class Unanswered {

	static final int LIMIT = 64 * 1024;

	private static final int INITIAL = 512;

	private static final String[] METHODS = { "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ",
			"TRACE " };

	private ByteBuffer bytes;

	private boolean overflowed;

	/** The kept bytes are the last request, answered: kept only to read its headers if needed. */
	private boolean answered;

	void record(ByteBuffer data) {
		if (this.answered) {
			this.answered = false;
			this.overflowed = false;
			if (this.bytes != null) {
				this.bytes.clear();
			}
		}
		if (this.overflowed) {
			return;
		}
		int needed = ((this.bytes != null) ? this.bytes.position() : 0) + data.remaining();
		if (needed > LIMIT) {
			this.overflowed = true;
			this.bytes = null;
			return;
		}
		if (this.bytes == null || this.bytes.capacity() < needed) {
			ByteBuffer grown = ByteBuffer.allocate(Math.max(INITIAL, Integer.highestOneBit(needed - 1) << 1));
			if (this.bytes != null) {
				grown.put(this.bytes.flip());
			}
			this.bytes = grown;
		}
		this.bytes.put(data.duplicate());
	}

	boolean isEmpty() {
		return this.answered || (!this.overflowed && (this.bytes == null || this.bytes.position() == 0));
	}

	/** Whether there is an unanswered request that can be sent again. */
	boolean canReplay() {
		return !isEmpty() && !this.overflowed;
	}

	/** The kept bytes, to send again; they stay kept until answered. */
	ByteBuffer replay() {
		return (this.bytes != null) ? this.bytes.duplicate().flip() : ByteBuffer.allocate(0);
	}

	/** The worker began to answer. */
	void answered() {
		this.answered = true;
	}

	/**
	 * Whether the last answered request asked for the connection to close after its answer
	 * (HTTP/1.0, or {@code Connection: close}). Read only when a retiring worker closes a
	 * connection, so requests are not scanned on the way through.
	 */
	boolean lastRequestAskedToClose() {
		return this.answered && !this.overflowed && this.bytes != null && asksToClose(this.bytes.duplicate().flip());
	}

	/** Whether these bytes begin an HTTP/1.x request, so the connection is at a request boundary. */
	static boolean startsRequest(ByteBuffer data) {
		for (String method : METHODS) {
			if (startsWith(data, method)) {
				return true;
			}
		}
		return false;
	}

	private static boolean startsWith(ByteBuffer data, String prefix) {
		if (data.remaining() < prefix.length()) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			if (data.get(data.position() + i) != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static boolean asksToClose(ByteBuffer request) {
		int end = Math.min(request.remaining(), 8 * 1024);
		String head = StandardCharsets.ISO_8859_1.decode(request.slice(request.position(), end)).toString();
		int headerEnd = head.indexOf("\r\n\r\n");
		String headers = ((headerEnd >= 0) ? head.substring(0, headerEnd) : head).toLowerCase();
		int firstLineEnd = headers.indexOf("\r\n");
		String requestLine = (firstLineEnd >= 0) ? headers.substring(0, firstLineEnd) : headers;
		return requestLine.endsWith("http/1.0") || headers.contains("\r\nconnection: close");
	}

}
