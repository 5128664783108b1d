package dev.bootcluster.channel;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The exchange's wire format, length-prefixed binary, all numbers big-endian: <pre>
 * int    length of what follows
 * byte   kind (0 HELLO, 1 REQUEST, 2 REPLY, 3 FAILURE, 4 MESSAGE)
 * long   correlation id
 * short  length of the service name, then its UTF-8 bytes
 * byte   number of headers (at most {@value #MAX_HEADERS}), then each: short length, UTF-8 bytes
 * int    payload length, then the payload
 * </pre> Anything else (a length over {@link #MAX_FRAME}, an unknown kind, bytes left
 * over or missing, text that is not UTF-8) is a {@link MalformedFrameException}.
 * <p>
 * Threads: stateless.
 */
public final class FrameCodec {

	/**
	 * The largest frame, length prefix excluded: a session or a message fits with room.
	 */
	public static final int MAX_FRAME = 16 * 1024 * 1024;

	/**
	 * The largest payload, so that a frame with its headers stays under
	 * {@link #MAX_FRAME}.
	 */
	public static final int MAX_PAYLOAD = MAX_FRAME - 64 * 1024;

	static final int MAX_HEADERS = 16;

	private static final int MAX_TEXT = 4096;

	private FrameCodec() {
	}

	/** The frame's bytes, length prefix included. */
	public static ByteBuffer encode(Frame frame) {
		if (frame.payload().length > MAX_PAYLOAD) {
			throw new IllegalArgumentException(
					"A payload of " + frame.payload().length + " bytes is over the exchange's " + MAX_PAYLOAD);
		}
		if (frame.headers().size() > MAX_HEADERS) {
			throw new IllegalArgumentException("More than " + MAX_HEADERS + " headers in a frame");
		}
		byte[] service = utf8(frame.service());
		List<byte[]> headers = new ArrayList<>(frame.headers().size());
		int length = 1 + Long.BYTES + Short.BYTES + service.length + 1 + Integer.BYTES + frame.payload().length;
		for (String header : frame.headers()) {
			byte[] bytes = utf8(header);
			headers.add(bytes);
			length += Short.BYTES + bytes.length;
		}
		// One buffer, so that the frame goes out in one write.
		ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + length);
		buffer.putInt(length);
		buffer.put((byte) frame.kind().ordinal());
		buffer.putLong(frame.correlation());
		putText(buffer, service);
		buffer.put((byte) headers.size());
		for (byte[] header : headers) {
			putText(buffer, header);
		}
		buffer.putInt(frame.payload().length);
		buffer.put(frame.payload());
		return buffer.flip();
	}

	private static byte[] utf8(String text) {
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		if (utf8.length > MAX_TEXT) {
			throw new IllegalArgumentException("A frame's service name or header is over " + MAX_TEXT + " bytes");
		}
		return utf8;
	}

	private static void putText(ByteBuffer buffer, byte[] utf8) {
		buffer.putShort((short) utf8.length);
		buffer.put(utf8);
	}

	/**
	 * Reads the next frame, blocking.
	 * @return the frame, or {@code null} at the end of the stream between frames
	 * @throws MalformedFrameException if the bytes are not a frame
	 * @throws EOFException if the stream ends inside a frame
	 */
	public static @Nullable Frame read(ReadableByteChannel in) throws IOException {
		ByteBuffer prefix = ByteBuffer.allocate(Integer.BYTES);
		if (!fill(in, prefix, true)) {
			return null;
		}
		int length = prefix.getInt(0);
		if (length < 1 + Long.BYTES + Short.BYTES + 1 + Integer.BYTES || length > MAX_FRAME) {
			throw new MalformedFrameException("a frame of " + length + " bytes (at most " + MAX_FRAME + ")");
		}
		ByteBuffer body = ByteBuffer.allocate(length);
		fill(in, body, false);
		body.flip();
		return decode(body);
	}

	/** The frame in {@code body} (what follows the length prefix). */
	static Frame decode(ByteBuffer body) {
		try {
			int kind = body.get();
			if (kind < 0 || kind >= Frame.Kind.values().length) {
				throw new MalformedFrameException("a frame of unknown kind " + kind);
			}
			long correlation = body.getLong();
			String service = readText(body);
			int count = body.get();
			if (count < 0 || count > MAX_HEADERS) {
				throw new MalformedFrameException("a frame with " + count + " headers (at most " + MAX_HEADERS + ")");
			}
			List<String> headers = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				headers.add(readText(body));
			}
			int payloadLength = body.getInt();
			if (payloadLength != body.remaining()) {
				throw new MalformedFrameException("a frame whose payload says " + payloadLength + " bytes where "
						+ body.remaining() + " are left");
			}
			byte[] payload = new byte[payloadLength];
			body.get(payload);
			return new Frame(Frame.Kind.values()[kind], correlation, service, headers, payload);
		}
		catch (java.nio.BufferUnderflowException ex) {
			throw new MalformedFrameException("a frame shorter than its fields");
		}
	}

	private static String readText(ByteBuffer body) {
		int length = Short.toUnsignedInt(body.getShort());
		if (length > MAX_TEXT || length > body.remaining()) {
			throw new MalformedFrameException("a text field of " + length + " bytes");
		}
		ByteBuffer text = body.slice(body.position(), length);
		body.position(body.position() + length);
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(text)
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedFrameException("a text field that is not UTF-8");
		}
	}

	/**
	 * Fills {@code buffer}; {@code false} if the stream ends before its first byte and
	 * {@code endAllowed}.
	 */
	private static boolean fill(ReadableByteChannel in, ByteBuffer buffer, boolean endAllowed) throws IOException {
		while (buffer.hasRemaining()) {
			if (in.read(buffer) < 0) {
				if (endAllowed && buffer.position() == 0) {
					return false;
				}
				throw new EOFException("The exchange connection ended inside a frame");
			}
		}
		return true;
	}

}
