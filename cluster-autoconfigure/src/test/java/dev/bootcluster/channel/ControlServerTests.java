package dev.bootcluster.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class ControlServerTests {

	private final List<String> heard = new CopyOnWriteArrayList<>();

	private final List<Channel> clients = new CopyOnWriteArrayList<>();

	/** Stand-ins for forked workers: real processes, so that their pids are real. */
	private final List<Process> launched = new ArrayList<>();

	private ControlServer server;

	private final ControlServer.Listener listener = new ControlServer.Listener() {

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

		@Override
		public void request(long pid, Channel client, Message request) {
			ControlServerTests.this.heard.add("ctl " + pid + " " + request.type() + " " + request.fields());
			ControlServerTests.this.clients.add(client);
		}

		@Override
		public void refused(long pid, String reason) {
			ControlServerTests.this.heard.add("refused " + pid + ": " + reason);
		}

	};

	@AfterEach
	void close() throws IOException {
		this.launched.forEach(Process::destroyForcibly);
		if (this.server != null) {
			this.server.close();
		}
	}

	private ControlServer open() throws IOException {
		this.server = ControlServer.open(this.listener, "test");
		return this.server;
	}

	/** Launches a stand-in worker with a token of its own; returns its pid and token. */
	private Launch launch() throws IOException {
		String token = this.server.issueToken();
		Process process = new ProcessBuilder("sleep", "60").start();
		this.launched.add(process);
		this.server.launched(token, process.toHandle());
		return new Launch(process.pid(), token);
	}

	private static Message hello(long pid, String token) {
		return Message.of(Message.Type.HELLO, Message.PROTOCOL_VERSION, 1, pid, token);
	}

	@Test
	void socketLivesInAPrivateDirectory() throws IOException {
		open();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.server.socketPath().getParent())))
			.isEqualTo("rwx------");
	}

	@Test
	void theOwnerOnlyReadsTheControlTokenAndClusterCtlFindsTheCluster() throws IOException {
		open();
		Path token = this.server.directory().resolve(RuntimeDirectory.TOKEN_FILE);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
		assertThat(Files.readString(token)).matches("[0-9a-f]{64}");
		assertThat(ClusterRuntime.running())
			.contains(new ClusterRuntime(this.server.directory(), ProcessHandle.current().pid(), "test"));
	}

	@Test
	void aControlClientWithTheOwnersTokenIsAnsweredOnItsChannel() throws Exception {
		open();
		ClusterRuntime runtime = new ClusterRuntime(this.server.directory(), ProcessHandle.current().pid(), "test");
		try (ControlClient client = ControlClient.connect(runtime, Duration.ofSeconds(30))) {
			CompletableFuture<Message> answer = CompletableFuture.supplyAsync(() -> {
				try {
					return client.ask(Message.Type.RELOAD, "cluster.ctl");
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> this.clients.size() == 1);
			this.clients.get(0).send(Message.reply("1", new Reply(Reply.Outcome.ACCEPTED, "reload-1", "Replacing")));
			assertThat(answer.get(10, TimeUnit.SECONDS).reply())
				.isEqualTo(new Reply(Reply.Outcome.ACCEPTED, "reload-1", "Replacing"));
		}
		assertThat(this.heard).containsExactly("ctl " + ProcessHandle.current().pid() + " RELOAD [1, cluster.ctl]");
	}

	@Test
	void aControlClientWithAnotherTokenIsRefusedAndToldWhy(CapturedOutput output) throws IOException {
		open();
		try (Channel channel = Channel.connect(this.server.socketPath())) {
			channel.send(Message.of(Message.Type.CONTROL, Message.PROTOCOL_VERSION, "guess", 4242));
			channel.send(Message.of(Message.Type.QUERY, "1"));
			Message refusal = channel.read();
			assertThat(refusal.type()).isEqualTo(Message.Type.ERROR);
			assertThat(refusal.field(0)).contains("its control token is not this cluster's");
			assertThat(channel.read()).isNull();
		}
		assertThat(this.heard).isEmpty();
		assertThat(output).contains("Refused a cluster.ctl connection: its control token is not this cluster's");
	}

	@Test
	void aControlClientMaySendOnlyWhatTheEndpointAsks(CapturedOutput output) throws IOException {
		open();
		String token = Files.readString(this.server.directory().resolve(RuntimeDirectory.TOKEN_FILE));
		try (Channel channel = Channel.connect(this.server.socketPath())) {
			channel.send(Message.of(Message.Type.CONTROL, Message.PROTOCOL_VERSION, token, 4242));
			channel.send(Message.of(Message.Type.UPGRADE, "1", "cluster.ctl"));
			channel.send(Message.of(Message.Type.READY, 41000, -1));
			channel.send(Message.of(Message.Type.QUERY, "2"));
			Message refusal = channel.read();
			assertThat(refusal.type()).isEqualTo(Message.Type.ERROR);
			assertThat(channel.read()).isNull();
		}
		assertThat(this.heard).containsExactly("ctl 4242 UPGRADE [1, cluster.ctl]");
		assertThat(output).contains(
				"Closed a cluster.ctl connection (pid 4242): Malformed READY message: is not a request cluster.ctl may make");
	}

	@Test
	void aWorkerWithItsTokenIsHeardUntilItHangsUp() throws IOException {
		open();
		Launch worker = launch();
		try (Channel channel = Channel.connect(this.server.socketPath())) {
			channel.send(hello(worker.pid, worker.token));
			channel.send(Message.of(Message.Type.READY, 41000, -1));
			channel.send(Message.of(Message.Type.FAILED, "java.lang.IllegalStateException: tab\there"));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.heard.size() == 3);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.heard.size() == 4);
		assertThat(this.heard).containsExactly("connected " + worker.pid, worker.pid + " READY [41000, -1]",
				worker.pid + " FAILED [java.lang.IllegalStateException: tab here]", "closed " + worker.pid);
	}

	@Test
	void aTokenTheServerDidNotIssueIsRefused(CapturedOutput output) throws IOException {
		open();
		Launch worker = launch();
		assertRefused(hello(worker.pid, "guess"));
		assertThat(output).contains(
				"Closed a control connection from pid " + worker.pid + ": its token was not issued by this primary");
	}

	@Test
	void aTokenIsGoodForOneHelloOnly(CapturedOutput output) throws IOException {
		open();
		Launch worker = launch();
		try (Channel first = Channel.connect(this.server.socketPath())) {
			first.send(hello(worker.pid, worker.token));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.heard.size() == 1);
			assertRefused(hello(worker.pid, worker.token));
		}
		assertThat(this.heard).first().isEqualTo("connected " + worker.pid);
		assertThat(output).contains("its token was already used (a replay, or a child process of the worker)");
	}

	@Test
	void aTokenIsGoodOnlyForThePidItWasIssuedFor(CapturedOutput output) throws IOException {
		open();
		Launch one = launch();
		Launch other = launch();
		assertRefused(hello(other.pid, one.token));
		assertThat(output).contains("it says it is pid " + other.pid + " but its token was issued for pid " + one.pid);
		try (Channel channel = Channel.connect(this.server.socketPath())) {
			channel.send(hello(one.pid, one.token));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.heard.contains("connected " + one.pid));
		}
	}

	@Test
	void aHelloWithMissingOrBadFieldsIsRefusedNamingTheMessage(CapturedOutput output) throws IOException {
		open();
		Launch worker = launch();
		assertRefused(Message.of(Message.Type.HELLO, Message.PROTOCOL_VERSION, 1, worker.pid));
		assertRefused(Message.of(Message.Type.HELLO, Message.PROTOCOL_VERSION, 1, "x", worker.token));
		assertThat(output)
			.contains("Closed a control connection: Malformed HELLO message: needs at least 4 field(s), has 3")
			.contains("Closed a control connection: Malformed HELLO message: field 2 is not a number: 'x'");
	}

	@Test
	void aConnectionThatDoesNotSayHelloFirstIsClosed() throws IOException {
		open();
		assertRefused(Message.of(Message.Type.READY, 1, 1));
	}

	@Test
	void aWorkerOfAnotherProtocolVersionIsToldWhyAndRefused() throws IOException {
		open();
		Launch worker = launch();
		try (Channel future = Channel.connect(this.server.socketPath())) {
			int version = Message.PROTOCOL_VERSION + 1;
			future.send(Message.of(Message.Type.HELLO, version, 1, worker.pid, worker.token, "a field of the future"));
			Message error = future.read();
			assertThat(error.type()).isEqualTo(Message.Type.ERROR);
			assertThat(error.field(0)).contains("This worker speaks version " + version
					+ " of the cluster's control protocol and its primary version " + Message.PROTOCOL_VERSION);
		}
		assertThat(this.heard)
			.containsExactly("refused " + worker.pid + ": it speaks version " + (Message.PROTOCOL_VERSION + 1)
					+ " of the control protocol, this primary version " + Message.PROTOCOL_VERSION);
	}

	@Test
	void acceptingGoesOnAfterFailuresWithOneWarningPerEpisode(CapturedOutput output) throws IOException {
		AtomicInteger failuresLeft = new AtomicInteger(3);
		this.server = ControlServer.open(this.listener, "test", (ServerSocketChannel socket) -> {
			if (failuresLeft.getAndDecrement() > 0) {
				throw new IOException("Too many open files");
			}
			return socket.accept();
		});
		Launch worker = launch();
		try (Channel channel = Channel.connect(this.server.socketPath())) {
			channel.send(hello(worker.pid, worker.token));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.heard.contains("connected " + worker.pid));
		}
		assertThat(output.toString().split("could not accept a worker's connection", -1)).hasSize(2);
		assertThat(output).contains("java.io.IOException: Too many open files")
			.contains("The control channel accepts workers' connections again, after 3 failed attempt(s)");
	}

	private void assertRefused(Message hello) throws IOException {
		try (Channel intruder = Channel.connect(this.server.socketPath())) {
			intruder.send(hello);
			assertThat(intruder.read()).as("the primary hangs up").isNull();
		}
	}

	private record Launch(long pid, String token) {
	}

}
