package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnansweredTests {

	private final Unanswered unanswered = new Unanswered();

	@Test
	void keepsAReplayableRequestUntilItIsAnswered() {
		this.unanswered.begin(true);
		this.unanswered.record(bytes("GET / HTTP/1.1\r\n"));
		this.unanswered.record(bytes("Host: x\r\n\r\n"));
		assertThat(this.unanswered.canReplay()).isTrue();
		assertThat(text(this.unanswered.replay())).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(text(this.unanswered.replay())).as("replaying keeps it").startsWith("GET");
		this.unanswered.answered();
		assertThat(this.unanswered.canReplay()).isFalse();
	}

	@Test
	void keepsNothingOfARequestThatIsNotReplayable() {
		this.unanswered.begin(false);
		this.unanswered.record(bytes("POST /orders HTTP/1.1\r\n\r\n"));
		assertThat(this.unanswered.canReplay()).isFalse();
	}

	@Test
	void recordingDoesNotConsumeTheBytesToForward() {
		this.unanswered.begin(true);
		ByteBuffer data = bytes("GET / HTTP/1.1\r\n\r\n");
		this.unanswered.record(data);
		assertThat(data.remaining()).isEqualTo(18);
	}

	@Test
	void aLargeRequestIsNotKeptAndCannotBeReplayed() {
		this.unanswered.begin(true);
		this.unanswered.record(ByteBuffer.allocate(Unanswered.LIMIT + 1));
		assertThat(this.unanswered.canReplay()).isFalse();
		this.unanswered.begin(true);
		this.unanswered.record(bytes("GET / HTTP/1.1\r\n\r\n"));
		assertThat(this.unanswered.canReplay()).isTrue();
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String text(ByteBuffer buffer) {
		return StandardCharsets.ISO_8859_1.decode(buffer).toString();
	}

}
