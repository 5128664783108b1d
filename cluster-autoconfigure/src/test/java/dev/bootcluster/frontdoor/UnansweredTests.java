package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnansweredTests {

	private final Unanswered unanswered = new Unanswered();

	@Test
	void keepsWhatWasSentUntilItIsAnswered() {
		assertThat(this.unanswered.isEmpty()).isTrue();
		this.unanswered.record(bytes("GET / HTTP/1.1\r\n"));
		this.unanswered.record(bytes("Host: x\r\n\r\n"));
		assertThat(text(this.unanswered.replay())).isEqualTo("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(text(this.unanswered.replay())).as("replaying keeps it").startsWith("GET");
		this.unanswered.answered();
		assertThat(this.unanswered.isEmpty()).isTrue();
		assertThat(this.unanswered.lastRequestAskedToClose()).isFalse();
		this.unanswered.record(bytes("GET /next HTTP/1.1\r\n\r\n"));
		assertThat(text(this.unanswered.replay())).isEqualTo("GET /next HTTP/1.1\r\n\r\n");
	}

	@Test
	void recordingDoesNotConsumeTheBytesToForward() {
		ByteBuffer data = bytes("GET / HTTP/1.1\r\n\r\n");
		this.unanswered.record(data);
		assertThat(data.remaining()).isEqualTo(18);
	}

	@Test
	void aLargeRequestIsNotKeptAndCannotBeReplayed() {
		this.unanswered.record(ByteBuffer.allocate(Unanswered.LIMIT + 1));
		assertThat(this.unanswered.isEmpty()).isFalse();
		assertThat(this.unanswered.canReplay()).isFalse();
		this.unanswered.answered();
		assertThat(this.unanswered.isEmpty()).isTrue();
		this.unanswered.record(bytes("GET / HTTP/1.1\r\n\r\n"));
		assertThat(this.unanswered.canReplay()).isTrue();
	}

	@Test
	void knowsWhenTheClientAskedToClose() {
		assertAsksToClose("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
		assertAsksToClose("GET / HTTP/1.0\r\nHost: x\r\n\r\n", true);
		assertAsksToClose("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", false);
	}

	private void assertAsksToClose(String request, boolean close) {
		this.unanswered.record(bytes(request));
		assertThat(this.unanswered.lastRequestAskedToClose()).as("not answered yet").isFalse();
		this.unanswered.answered();
		assertThat(this.unanswered.lastRequestAskedToClose()).isEqualTo(close);
	}

	@Test
	void recognisesTheStartOfAnHttpRequest() {
		assertThat(Unanswered.startsRequest(bytes("GET / HTTP/1.1\r\n"))).isTrue();
		assertThat(Unanswered.startsRequest(bytes("POST /x HTTP/1.1\r\n"))).isTrue();
		assertThat(Unanswered.startsRequest(bytes("GE"))).isFalse();
		assertThat(Unanswered.startsRequest(ByteBuffer.wrap(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 }))).isFalse();
		assertThat(Unanswered.startsRequest(bytes("{\"json\":1}"))).isFalse();
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String text(ByteBuffer buffer) {
		return StandardCharsets.ISO_8859_1.decode(buffer).toString();
	}

}
