package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One direction of a relayed connection, on the writing side. Bytes are written straight
 * on from the loop's shared buffer; only what the other side cannot take yet is kept, in
 * a buffer of this pipe's own, and the reader stops reading until it is written
 * (backpressure). An idle connection holds no buffer at all. The end of input is passed
 * on as a half-close once everything before it is written.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class Pipe {

	private @Nullable SocketChannel to;

	private @Nullable ByteBuffer pending;

	private boolean endOfInput;

	private boolean finished;

	Pipe(@Nullable SocketChannel to) {
		this.to = to;
	}

	/**
	 * Writes to another channel from now on; what was pending for the old one is dropped.
	 */
	void retarget(@Nullable SocketChannel to) {
		this.to = to;
		this.pending = null;
	}

	/** Whether the reader may read more for this pipe. */
	private SocketChannel target() {
		return Objects.requireNonNull(this.to, "No channel to write to");
	}

	boolean accepts() {
		return !this.endOfInput && this.pending == null;
	}

	boolean wantsWrite() {
		return this.pending != null;
	}

	/** True once the end of input has been passed on to the other side. */
	boolean finished() {
		return this.finished;
	}

	void forward(ByteBuffer data) throws IOException {
		if (this.pending != null) {
			// Behind what is still waiting (a PROXY header, say): keep the order.
			this.pending = ByteBuffer.allocate(this.pending.remaining() + data.remaining())
				.put(this.pending)
				.put(data)
				.flip();
			return;
		}
		target().write(data);
		if (data.hasRemaining()) {
			this.pending = ByteBuffer.allocate(data.remaining()).put(data).flip();
		}
	}

	void flush() throws IOException {
		ByteBuffer pending = Objects.requireNonNull(this.pending, "Nothing pending");
		target().write(pending);
		if (!pending.hasRemaining()) {
			this.pending = null;
			finishIfDrained();
		}
	}

	void endOfInput() throws IOException {
		this.endOfInput = true;
		finishIfDrained();
	}

	private void finishIfDrained() throws IOException {
		if (this.endOfInput && this.pending == null && !this.finished) {
			this.finished = true;
			target().shutdownOutput();
		}
	}

}
