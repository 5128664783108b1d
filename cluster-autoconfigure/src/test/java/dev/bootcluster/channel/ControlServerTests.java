package dev.bootcluster.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ControlServerTests {

	private final List<String> heard = new CopyOnWriteArrayList<>();

	private ControlServer server;

	@BeforeEach
	void open() throws IOException {
		this.server = ControlServer.open(new ControlServer.Listener() {

			@Override
			public void connected(long pid, Channel channel) {
				ControlServerTests.this.heard.add("connected " + pid);
			}

			@Override
			public void received(long pid, Message message) {
				ControlServerTests.this.heard.add(pid + " " + message.type() + " " + message.fields());
			}

			@Override
			public void closed(long pid) {
				ControlServerTests.this.heard.add("closed " + pid);
			}

		});
	}

	@AfterEach
	void close() throws IOException {
		this.server.close();
	}

	@Test
	void socketLivesInAPrivateDirectory() throws IOException {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.server.socketPath().getParent())))
			.isEqualTo("rwx------");
	}

	@Test
	void aWorkerWithTheSecretIsHeardUntilItHangsUp() throws IOException {
		try (Channel worker = Channel.connect(this.server.socketPath())) {
			worker.send(Message.of(Message.Type.HELLO, 1, 4242, this.server.secret()));
			worker.send(Message.of(Message.Type.READY, 41000, -1));
			worker.send(Message.of(Message.Type.FAILED, "java.lang.IllegalStateException: tab\there"));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.heard.size() == 3);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.heard.size() == 4);
		assertThat(this.heard).containsExactly("connected 4242", "4242 READY [41000, -1]",
				"4242 FAILED [java.lang.IllegalStateException: tab here]", "closed 4242");
	}

	@Test
	void aConnectionWithoutTheSecretIsClosedUnheard() throws IOException {
		try (Channel intruder = Channel.connect(this.server.socketPath())) {
			intruder.send(Message.of(Message.Type.HELLO, 1, 4242, "guess"));
			assertThat(intruder.read()).as("the primary hangs up").isNull();
		}
		assertThat(this.heard).isEmpty();
	}

	@Test
	void aConnectionThatDoesNotSayHelloFirstIsClosed() throws IOException {
		try (Channel intruder = Channel.connect(this.server.socketPath())) {
			intruder.send(Message.of(Message.Type.READY, 1, 1));
			assertThat(intruder.read()).isNull();
		}
		assertThat(this.heard).isEmpty();
	}

}
