package dev.bootcluster.channel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MessageTests {

	@Test
	void readsNumbersFromFields() {
		Message heartbeat = Message.of(Message.Type.HEARTBEAT, 1024, 4096, 7);
		assertThat(heartbeat.requireFields(3).longField(1)).isEqualTo(4096);
		assertThat(heartbeat.intField(2)).isEqualTo(7);
	}

	@Test
	void tooFewFieldsAreRefusedNamingTheMessageType() {
		Message failed = Message.of(Message.Type.FAILED);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> failed.requireFields(1))
			.withMessage("Malformed FAILED message: needs at least 1 field(s), has 0");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> failed.field(0))
			.withMessage("Malformed FAILED message: needs at least 1 field(s), has 0")
			.satisfies((ex) -> assertThat(ex.malformed()).isSameAs(failed));
	}

	@Test
	void aFieldThatIsNotANumberIsRefusedNamingTheMessageType() {
		Message heartbeat = Message.of(Message.Type.HEARTBEAT, "x", 1, 2);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> heartbeat.longField(0))
			.withMessage("Malformed HEARTBEAT message: field 0 is not a number: 'x'");
	}

	@Test
	void aNumberOutOfRangeForAnIntIsRefused() {
		Message scale = Message.of(Message.Type.SCALE, "1", Long.MAX_VALUE);
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> scale.intField(1))
			.withMessage("Malformed SCALE message: field 1 is out of range: " + Long.MAX_VALUE);
	}

	@Test
	void aReplyCrossesTheChannelWithItsOutcome() {
		Reply reply = new Reply(Reply.Outcome.BUSY, "reload-2", "reload-2 is still running");
		assertThat(Message.decode(Message.reply("7", reply).encode().strip()).reply()).isEqualTo(reply);
		assertThat(Message.reply("8", new Reply(Reply.Outcome.DONE, null, "already")).reply().reloadId()).isNull();
	}

	@Test
	void aReplyWithAnUnknownOutcomeIsRefused() {
		Message reply = Message.of(Message.Type.REPLY, "7", "409", "", "busy");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(reply::reply)
			.withMessage("Malformed REPLY message: field 1 is not an outcome: '409'");
	}

	@Test
	void anUnknownTypeDecodesToNothingSoThatNewerMessagesAreSkipped() {
		assertThat(Message.decode("FROM_THE_FUTURE\t1")).isNull();
		assertThat(Message.decode("HEARTBEAT\t1\t2\t3")).isEqualTo(Message.of(Message.Type.HEARTBEAT, 1, 2, 3));
	}

}
