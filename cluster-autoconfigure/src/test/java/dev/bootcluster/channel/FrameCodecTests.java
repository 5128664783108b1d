package dev.bootcluster.channel;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link FrameCodec}: frames survive the wire whole, one after another; anything that is
 * not a frame is refused as malformed.
 */
class FrameCodecTests {

	@Test
	void framesSurviveTheWireOneAfterAnother() throws IOException {
		byte[] payload = new byte[70_000];
		Arrays.fill(payload, (byte) 7);
		Frame first = Frame.request(42, "sessions", List.of("SAVE", "id-é", "1800", ""), payload);
		Frame second = first.reply(List.of("saved"), new byte[0]);
		ByteArrayInputStream wire = new ByteArrayInputStream(
				concat(FrameCodec.encode(first), FrameCodec.encode(second)));
		Frame read = FrameCodec.read(Channels.newChannel(wire));
		assertThat(read.kind()).isEqualTo(Frame.Kind.REQUEST);
		assertThat(read.correlation()).isEqualTo(42);
		assertThat(read.service()).isEqualTo("sessions");
		assertThat(read.headers()).containsExactly("SAVE", "id-é", "1800", "");
		assertThat(read.payload()).isEqualTo(payload);
		Frame reply = FrameCodec.read(Channels.newChannel(wire));
		assertThat(reply.kind()).isEqualTo(Frame.Kind.REPLY);
		assertThat(reply.correlation()).isEqualTo(42);
		assertThat(reply.headers()).containsExactly("saved");
		assertThat(FrameCodec.read(Channels.newChannel(wire))).as("the end of the stream between frames").isNull();
	}

	@Test
	void aStreamEndingInsideAFrameIsAnError() {
		byte[] frame = bytes(FrameCodec.encode(Frame.request(1, "s", List.of(), new byte[10])));
		byte[] cut = Arrays.copyOf(frame, frame.length - 3);
		assertThatExceptionOfType(EOFException.class)
			.isThrownBy(() -> FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(cut))));
	}

	@Test
	void aLengthOverTheLimitIsMalformed() {
		ByteBuffer huge = ByteBuffer.allocate(4).putInt(0, FrameCodec.MAX_FRAME + 1);
		assertMalformed(bytes(huge), "a frame of " + (FrameCodec.MAX_FRAME + 1) + " bytes");
		assertMalformed(new byte[] { 0, 0, 0, 2, 1, 1 }, "a frame of 2 bytes");
	}

	@Test
	void anUnknownKindIsMalformed() {
		byte[] frame = bytes(FrameCodec.encode(Frame.request(1, "s", List.of(), new byte[0])));
		frame[4] = 9;
		assertMalformed(frame, "unknown kind 9");
	}

	@Test
	void aPayloadLengthThatDisagreesWithTheFrameIsMalformed() {
		byte[] frame = bytes(FrameCodec.encode(Frame.request(1, "s", List.of(), new byte[4])));
		frame[frame.length - 5] = 3;
		assertMalformed(frame, "payload says 3 bytes where 4 are left");
	}

	@Test
	void textThatIsNotUtf8IsMalformed() {
		byte[] frame = bytes(FrameCodec.encode(Frame.request(1, "ab", List.of(), new byte[0])));
		// the service name's bytes follow kind (1), correlation (8) and its length (2)
		frame[4 + 1 + 8 + 2] = (byte) 0xC3;
		frame[4 + 1 + 8 + 3] = (byte) 0x28;
		assertMalformed(frame, "not UTF-8");
	}

	@Test
	void tooManyHeadersOrTooLargeAPayloadCannotBeSent() {
		assertThatIllegalArgumentException().isThrownBy(() -> FrameCodec
			.encode(Frame.request(1, "s", Collections.nCopies(FrameCodec.MAX_HEADERS + 1, "h"), new byte[0])));
		assertThatIllegalArgumentException().isThrownBy(
				() -> FrameCodec.encode(Frame.request(1, "s", List.of(), new byte[FrameCodec.MAX_PAYLOAD + 1])));
	}

	@Test
	void aMissingHeaderIsMalformed() {
		Frame frame = Frame.request(1, "sessions", List.of("GET"), new byte[0]);
		assertThatExceptionOfType(MalformedFrameException.class).isThrownBy(() -> frame.header(1))
			.withMessageContaining("1 header(s), at least 2 expected");
	}

	private static void assertMalformed(byte[] wire, String problem) {
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(wire))))
			.withMessageContaining(problem);
	}

	private static byte[] concat(ByteBuffer first, ByteBuffer second) {
		byte[] a = bytes(first);
		byte[] b = bytes(second);
		byte[] all = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

}
