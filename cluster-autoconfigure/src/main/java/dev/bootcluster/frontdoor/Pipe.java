package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One direction of a relayed connection. Bytes are read into the loop's shared buffer
 * and written straight on; only what the other side cannot take yet is kept, in a buffer
 * of this pipe's own, and reading stops until it is written (backpressure). An idle
 * connection holds no buffer at all. The end of input is passed on as a half-close.
 * <p>
 * Threads: used only by the relay loop that owns the connection.
 */
final class Pipe {

	private final SocketChannel from;

	private final SocketChannel to;

	private ByteBuffer pending;

	private boolean endOfInput;

	private boolean finished;

	Pipe(SocketChannel from, SocketChannel to) {
		this.from = from;
		this.to = to;
	}

	boolean wantsRead() {
		return !this.endOfInput && this.pending == null;
	}

	boolean wantsWrite() {
		return this.pending != null;
	}

	/** True once the end of input has been passed on to the other side. */
	boolean finished() {
		return this.finished;
	}

	void pump(ByteBuffer buffer) throws IOException {
		buffer.clear();
		int read = this.from.read(buffer);
		if (read < 0) {
			this.endOfInput = true;
			finishIfDrained();
			return;
		}
		buffer.flip();
		this.to.write(buffer);
		if (buffer.hasRemaining()) {
			this.pending = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
		}
	}

	void flush() throws IOException {
		this.to.write(this.pending);
		if (!this.pending.hasRemaining()) {
			this.pending = null;
			finishIfDrained();
		}
	}

	private void finishIfDrained() throws IOException {
		if (this.endOfInput && this.pending == null && !this.finished) {
			this.finished = true;
			this.to.shutdownOutput();
		}
	}

}
