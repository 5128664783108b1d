package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Finds the end of an HTTP/1.x message head (its empty line) in the bytes as they arrive.
 * A head that ends in the buffer it started in is left where it is; only a head split
 * across reads is copied, into a buffer of its own that is let go once the head is read,
 * so no connection holds a head between messages.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class HeadReader {

	enum Result {

		/** The head goes on in the next read; its bytes so far are kept here. */
		MORE,

		/** The head is read: {@link #head()} has it. */
		COMPLETE,

		/** The head is longer than the limit. */
		TOO_LARGE

	}

	private final int limit;

	/** How much of CR LF CR LF has just been seen. */
	private int matched;

	/** The head's bytes so far when it spans reads, or null. */
	private @Nullable ByteBuffer kept;

	private @Nullable ByteBuffer source;

	private int start;

	private int end;

	HeadReader(int limit) {
		this.limit = limit;
	}

	/**
	 * Reads head bytes from the buffer's position on: up to and including the empty line
	 * if it is there ({@link Result#COMPLETE}, the position then just after it), else all
	 * of them (kept, {@link Result#MORE}).
	 */
	Result read(ByteBuffer data) {
		int from = data.position();
		int to = data.limit();
		int already = (this.kept != null) ? this.kept.position() : 0;
		int matched = this.matched;
		int i = from;
		while (i < to && matched < 4) {
			byte b = data.get(i++);
			if (b == '\r') {
				matched = (matched == 2) ? 3 : 1;
			}
			else if (b == '\n') {
				matched = (matched == 1 || matched == 3) ? matched + 1 : 0;
			}
			else {
				matched = 0;
			}
		}
		if (already + (i - from) > this.limit) {
			this.kept = null;
			this.matched = 0;
			return Result.TOO_LARGE;
		}
		if (matched < 4) {
			this.matched = matched;
			keep(data, from, to);
			data.position(to);
			return Result.MORE;
		}
		this.matched = 0;
		if (this.kept == null) {
			this.source = data;
			this.start = from;
		}
		else {
			keep(data, from, i);
			this.source = this.kept.flip();
			this.start = 0;
			this.kept = null;
		}
		this.end = (this.source == data) ? i : this.source.limit();
		data.position(i);
		return Result.COMPLETE;
	}

	private void keep(ByteBuffer data, int from, int to) {
		int needed = ((this.kept != null) ? this.kept.position() : 0) + (to - from);
		if (this.kept == null || this.kept.capacity() < needed) {
			ByteBuffer grown = ByteBuffer.allocate(Math.min(this.limit, Math.max(256, needed * 2)));
			if (this.kept != null) {
				grown.put(this.kept.flip());
			}
			this.kept = grown;
		}
		this.kept.put(data.duplicate().limit(to).position(from));
	}

	/**
	 * The buffer that holds the head just read, from {@link #start()} to {@link #end()}.
	 */
	@Nullable ByteBuffer head() {
		return this.source;
	}

	int start() {
		return this.start;
	}

	int end() {
		return this.end;
	}

	/**
	 * The bytes of a head that is not complete yet, handed over (and no longer kept), or
	 * null.
	 */
	@Nullable ByteBuffer takeKept() {
		ByteBuffer partial = (this.kept != null) ? this.kept.flip() : null;
		this.kept = null;
		this.matched = 0;
		return partial;
	}

	/** Forgets the head just read, so its buffer is not held. */
	void release() {
		this.source = null;
	}

}
