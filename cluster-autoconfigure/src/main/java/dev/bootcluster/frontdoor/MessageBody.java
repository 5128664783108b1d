package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Follows one message body to its end without keeping it: a {@code Content-Length} body
 * is counted down in jumps, a chunked one (RFC 9112 §7.1) is read only in its chunk-size
 * lines and trailer fields, and a body delimited by the close of the connection simply
 * never ends here.
 * <p>
 * Threads: reused for every message of one direction of a connection, by the relay loop
 * that owns it.
 */
final class MessageBody {

	enum Result {

		/** All the bytes given were body; more is to come. */
		MORE,

		/** The body ended; the position is just after it. */
		DONE,

		/** Broken chunked framing. */
		BAD

	}

	private enum State {

		LENGTH, UNTIL_CLOSE, SIZE_FIRST, SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_LINE,
		TRAILER_LF, END_LF

	}

	private static final long MAX_CHUNK_SIZE = Long.MAX_VALUE >> 4;

	/** How many bytes of chunk extensions and trailer fields a body may have. */
	private final int extrasLimit;

	private State state = State.LENGTH;

	private long remaining;

	private int extras;

	MessageBody(int extrasLimit) {
		this.extrasLimit = extrasLimit;
	}

	void length(long length) {
		this.state = State.LENGTH;
		this.remaining = length;
	}

	void chunked() {
		this.state = State.SIZE_FIRST;
		this.remaining = 0;
		this.extras = 0;
	}

	void untilEndOfInput() {
		this.state = State.UNTIL_CLOSE;
	}

	/** Whether the body ends only when the connection does. */
	boolean endsWithInput() {
		return this.state == State.UNTIL_CLOSE;
	}

	/**
	 * Reads body bytes from the buffer's position on, up to the end of the body at most.
	 */
	Result advance(ByteBuffer data) {
		int i = data.position();
		int limit = data.limit();
		while (i < limit) {
			switch (this.state) {
				case UNTIL_CLOSE -> i = limit;
				case LENGTH, DATA -> {
					int step = (int) Math.min(this.remaining, limit - i);
					i += step;
					this.remaining -= step;
					if (this.remaining == 0) {
						if (this.state == State.LENGTH) {
							data.position(i);
							return Result.DONE;
						}
						this.state = State.DATA_CR;
					}
				}
				default -> {
					State next = chunkFraming(data.get(i++));
					if (next == null) {
						data.position(i);
						return Result.BAD;
					}
					this.state = next;
					if (next == State.LENGTH) {
						data.position(i);
						return Result.DONE;
					}
				}
			}
		}
		data.position(i);
		if (this.state == State.LENGTH && this.remaining == 0) {
			return Result.DONE;
		}
		return Result.MORE;
	}

	/**
	 * The state after one byte of chunk framing; null when it breaks the framing, LENGTH
	 * at the end.
	 */
	private @Nullable State chunkFraming(byte b) {
		switch (this.state) {
			case SIZE_FIRST, SIZE -> {
				int digit = Character.digit(b, 16);
				if (digit >= 0 && b < 0x80) {
					if (this.remaining > MAX_CHUNK_SIZE) {
						return null;
					}
					this.remaining = this.remaining * 16 + digit;
					return State.SIZE;
				}
				if (this.state == State.SIZE_FIRST) {
					return null;
				}
				if (b == '\r') {
					return State.SIZE_LF;
				}
				return (b == ';' || b == ' ' || b == '\t') ? extra(State.EXTENSION) : null;
			}
			case EXTENSION -> {
				if (b == '\r') {
					return State.SIZE_LF;
				}
				return (b == '\n') ? null : extra(State.EXTENSION);
			}
			case SIZE_LF -> {
				if (b != '\n') {
					return null;
				}
				return (this.remaining == 0) ? State.TRAILER_START : State.DATA;
			}
			case DATA_CR -> {
				return (b == '\r') ? State.DATA_LF : null;
			}
			case DATA_LF -> {
				return (b == '\n') ? State.SIZE_FIRST : null;
			}
			case TRAILER_START -> {
				if (b == '\r') {
					return State.END_LF;
				}
				return (b == '\n') ? null : extra(State.TRAILER_LINE);
			}
			case TRAILER_LINE -> {
				if (b == '\r') {
					return State.TRAILER_LF;
				}
				return (b == '\n') ? null : extra(State.TRAILER_LINE);
			}
			case TRAILER_LF -> {
				return (b == '\n') ? State.TRAILER_START : null;
			}
			case END_LF -> {
				if (b != '\n') {
					return null;
				}
				this.remaining = 0;
				return State.LENGTH;
			}
			default -> throw new IllegalStateException(this.state.name());
		}
	}

	private @Nullable State extra(State next) {
		return (++this.extras > this.extrasLimit) ? null : next;
	}

}
