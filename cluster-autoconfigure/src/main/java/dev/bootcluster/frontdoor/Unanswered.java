package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A copy of the request a worker has not begun to answer, kept only when sending it to a
 * second worker would be safe: an idempotent request (RFC 9110 §9.2.2: GET, HEAD,
 * OPTIONS, TRACE, PUT, DELETE), alone on its connection (not pipelined), up to
 * {@link #LIMIT} bytes with its body. Anything else is never copied and so never sent
 * twice. The copy is let go as soon as a final response begins, so an idle connection
 * holds nothing.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class Unanswered {

	static final int LIMIT = 64 * 1024;

	private static final int INITIAL = 512;

	private @Nullable ByteBuffer bytes;

	private boolean replayable;

	/** A new request begins; only a replayable one is copied from now on. */
	void begin(boolean replayable) {
		this.bytes = null;
		this.replayable = replayable;
	}

	/** Copies bytes of the request as they are passed on; consumes none of them. */
	void record(ByteBuffer data) {
		if (!this.replayable) {
			return;
		}
		int needed = ((this.bytes != null) ? this.bytes.position() : 0) + data.remaining();
		if (needed > LIMIT) {
			this.replayable = false;
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
		int position = data.position();
		this.bytes.put(data);
		data.position(position);
	}

	/** Whether the request under way may be sent to another worker. */
	boolean canReplay() {
		return this.replayable && this.bytes != null;
	}

	/** The copy, to send again; it stays kept until answered. */
	ByteBuffer replay() {
		return Objects.requireNonNull(this.bytes, "No request kept").duplicate().flip();
	}

	/**
	 * A final response began: the request can no longer be sent again, and its copy goes.
	 */
	void answered() {
		this.replayable = false;
		this.bytes = null;
	}

}
