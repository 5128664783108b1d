package dev.bootcluster.ctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.channel.ClusterRuntime;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.QuietListener;
import dev.bootcluster.channel.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code cluster.ctl} against a real control server whose primary is played by the test:
 * the command line, finding the cluster, the table, the JSON and the exit codes.
 */
class ClusterCtlTests {

	private static final String APPLICATION = "com.example.DemoApplication";

	private static final ClusterStatus STATUS = new ClusterStatus(2536, Instant.parse("2026-11-27T09:00:00Z"),
			Duration.ofMinutes(90), "round-robin", List.of(8080), Map.of(), 2, 8,
			List.of(new ClusterStatus.Worker(1, 2571, "READY", 2, Instant.parse("2026-11-27T10:12:03Z"),
					Duration.ofSeconds(17 * 60 + 54), 1, 3, 1204, 5812, 52428800, 268435456, 201326592,
					new ClusterStatus.Exit(137, "SIGKILL", Instant.parse("2026-11-27T10:11:58Z")), Map.of(), "0.2.0"),
					new ClusterStatus.Worker(2, 0, "EXITED", 2, null, Duration.ZERO, 4, 0, 0, 0, 0, 0, 0, null,
							Map.of(), null)),
			new ClusterStatus.Reload("reload-1", "cluster.ctl (pid 77)", "RUNNING", "1/2 replaced", 1, 2,
					Instant.parse("2026-11-27T10:12:00Z"), null, null, 0, List.of(2560L)),
			1, 0, 0, List.of(), "0.1.0", true);

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private ControlServer server;

	private Message asked;

	@AfterEach
	void close() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void theCommandLineNamesOneCommandAndItsOperand() {
		assertThat(CtlCommand.isAsked(new String[] { "--server.port=0" })).isFalse();
		assertThat(CtlCommand.isAsked(new String[] { "--cluster.ctl=status" })).isTrue();
		assertThat(CtlCommand.parse(new String[] { "--cluster.ctl=status" }))
			.isEqualTo(new CtlCommand(CtlCommand.Action.STATUS, 0, false, null));
		assertThat(CtlCommand.parse(new String[] { "--cluster.ctl=restart", "2", "--json", "--pid=4242" }))
			.isEqualTo(new CtlCommand(CtlCommand.Action.RESTART, 2, true, 4242L));
		assertThat(CtlCommand.parse(new String[] { "--cluster.ctl=scale 3" }))
			.isEqualTo(new CtlCommand(CtlCommand.Action.SCALE, 3, false, null));
		assertThat(CtlCommand.parse(new String[] { "--cluster.ctl=upgrade" }))
			.isEqualTo(new CtlCommand(CtlCommand.Action.UPGRADE, 0, false, null));
		assertUsage("'upgrade' takes 0 argument(s), got 1: [2]", "--cluster.ctl=upgrade", "2");
		assertUsage("'restart' takes 1 argument(s), got 0: []", "--cluster.ctl=restart");
		assertUsage("'scale' takes a whole number from 1, not 'many'", "--cluster.ctl=scale", "many");
		assertUsage("Unknown command 'stop'", "--cluster.ctl=stop");
		assertUsage("Unknown option '--jsn'", "--cluster.ctl=status", "--jsn");
	}

	private static void assertUsage(String message, String... args) {
		assertThatExceptionOfType(CtlCommand.UsageException.class).isThrownBy(() -> CtlCommand.parse(args))
			.withMessage(message);
	}

	@Test
	void aBadCommandLineIsAUsageErrorAndAsksNothing() {
		assertThat(ctl(List.of(), "--cluster.ctl=reboot")).isEqualTo(ClusterCtl.USAGE);
		assertThat(text(this.err)).startsWith("Unknown command 'reboot'").contains("Usage: java -jar app.jar");
	}

	@Test
	void logsSaysWhereTheOutputGoes() {
		assertThat(ctl(List.of(), "--cluster.ctl=logs")).isEqualTo(ClusterCtl.OK);
		assertThat(text(this.out)).contains("The cluster keeps no logs").contains("journalctl");
	}

	@Test
	void withoutAClusterOfThisApplicationItSaysSoAndWhichRun() {
		List<ClusterRuntime> running = List.of(new ClusterRuntime(Path.of("/tmp/boot-cluster-1"), 11, "other.App"));
		assertThat(ctl(running, "--cluster.ctl=status")).isEqualTo(ClusterCtl.FAILED);
		assertThat(text(this.err)).startsWith("No running cluster of " + APPLICATION + " for this user in ")
			.contains("(running: other.App with primary pid 11)");
	}

	@Test
	void withSeveralClustersOfThisApplicationItAsksForAPid() {
		List<ClusterRuntime> running = List.of(new ClusterRuntime(Path.of("/tmp/boot-cluster-1"), 11, APPLICATION),
				new ClusterRuntime(Path.of("/tmp/boot-cluster-2"), 12, APPLICATION));
		assertThat(ctl(running, "--cluster.ctl=status")).isEqualTo(ClusterCtl.FAILED);
		assertThat(text(this.err)).isEqualTo("2 clusters of " + APPLICATION + " are running; pick one with --pid: "
				+ APPLICATION + " with primary pid 11, " + APPLICATION + " with primary pid 12");
		assertThat(ctl(running, "--cluster.ctl=status", "--pid=13")).isEqualTo(ClusterCtl.FAILED);
		assertThat(text(this.err)).contains("No running cluster of this user has a primary with pid 13");
	}

	@Test
	void statusIsATableOfTheWorkers() throws IOException {
		primaryAnswers(Message.status("1", STATUS));
		assertThat(ctl(ClusterRuntime.running(), "--cluster.ctl=status")).isEqualTo(ClusterCtl.OK);
		assertThat(this.asked.type()).isEqualTo(Message.Type.QUERY);
		assertThat(text(this.out).lines().toList()).satisfies((lines) -> {
			assertThat(lines.get(0))
				.isEqualTo("Cluster primary pid 2536, up 1h 30m, ports [8080], round-robin: 1 of 2 worker(s) ready, "
						+ "Boot Cluster 0.1.0 (version skew: workers run another version; upgrade the primary)");
			assertThat(lines.get(1).split("\\s+")).containsExactly("id", "pid", "state", "uptime", "restarts", "cpu",
					"mem", "conns", "requests", "version");
			assertThat(lines.get(2)).matches("1 +2571 +READY +17m 54s +1 +- +192\\.0 MB +3 +5812 +0\\.2\\.0");
			assertThat(lines.get(3)).matches("2 +- +EXITED +- +4 +- +- +0 +0 +-");
			assertThat(lines.get(4)).isEqualTo("reload-1 (cluster.ctl (pid 77)): RUNNING, 1/2 replaced");
		});
	}

	@Test
	void statusAsJsonIsWhatTheEndpointAnswers() throws IOException {
		primaryAnswers(Message.status("1", STATUS));
		assertThat(ctl(ClusterRuntime.running(), "--cluster.ctl=status", "--json")).isEqualTo(ClusterCtl.OK);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonEndpointAutoConfiguration.class))
			.run((context) -> {
				JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
				assertThat(mapper.readTree(text(this.out)))
					.isEqualTo(mapper.readTree(mapper.writeValueAsString(STATUS)));
			});
	}

	@Test
	void aRestartIsAskedAndItsAnswerSaid() throws IOException {
		primaryAnswers(Message.reply("1", new Reply(Reply.Outcome.ACCEPTED, "reload-2", "Replacing 1 worker(s)")));
		assertThat(ctl(ClusterRuntime.running(), "--cluster.ctl=restart", "2")).isEqualTo(ClusterCtl.OK);
		assertThat(this.asked.fields()).containsExactly("1", "2");
		assertThat(text(this.out)).isEqualTo("reload-2: Replacing 1 worker(s); watch it with --cluster.ctl=status");
	}

	@Test
	void anUpgradeIsAskedAndItsAnswerSaid() throws IOException {
		primaryAnswers(Message.reply("1", new Reply(Reply.Outcome.ACCEPTED, null, "Upgrading the primary")));
		assertThat(ctl(ClusterRuntime.running(), "--cluster.ctl=upgrade")).isEqualTo(ClusterCtl.OK);
		assertThat(this.asked.type()).isEqualTo(Message.Type.UPGRADE);
		assertThat(this.asked.fields()).hasSize(2).startsWith("1");
		assertThat(text(this.out)).isEqualTo("Upgrading the primary; watch it with --cluster.ctl=status");
	}

	@Test
	void aRefusedScaleFailsWithThePrimarysReason() throws IOException {
		primaryAnswers(Message.reply("1", new Reply(Reply.Outcome.INVALID, null, "Cannot scale to 99 workers")));
		assertThat(ctl(ClusterRuntime.running(), "--cluster.ctl=scale", "99", "--json")).isEqualTo(ClusterCtl.FAILED);
		assertThat(this.asked.type()).isEqualTo(Message.Type.SCALE);
		assertThat(this.asked.fields().subList(0, 2)).containsExactly("1", "99");
		assertThat(text(this.out)).isEqualTo("{\"message\":\"Cannot scale to 99 workers\",\"outcome\":\"INVALID\"}");
	}

	/** A control server for {@link #APPLICATION} that answers any request so. */
	private void primaryAnswers(Message answer) throws IOException {
		this.server = ControlServer.open(new QuietListener() {

			@Override
			public void request(long pid, Channel client, Message request) {
				ClusterCtlTests.this.asked = request;
				try {
					client.send(answer);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}

		}, APPLICATION);
	}

	private int ctl(List<ClusterRuntime> running, String... args) {
		this.out.reset();
		this.err.reset();
		List<ClusterRuntime> candidates = (this.server != null)
				? running.stream().filter((cluster) -> cluster.directory().equals(this.server.directory())).toList()
				: running;
		return new ClusterCtl(APPLICATION, candidates, print(this.out), print(this.err)).run(args);
	}

	private static PrintStream print(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

	private static String text(ByteArrayOutputStream bytes) {
		return bytes.toString(StandardCharsets.UTF_8).strip();
	}

}
