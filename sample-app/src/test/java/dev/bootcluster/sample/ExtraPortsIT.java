package dev.bootcluster.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An extra port ({@code cluster.front-door.extra-ports=echo=0}) fronted by the primary as
 * plain TCP: one public port for the cluster, connections spread over the workers, and a
 * rolling reload that lets connections opened before it finish on their old worker, which
 * is stopped only once they are closed, while new ones go to the new workers. The
 * sample's {@code LineEchoServer} answers each line with its worker id and pid.
 */
class ExtraPortsIT {

	private static final Pattern LOGGED_PORT = Pattern.compile("extra port echo (\\d+)");

	/**
	 * How many times (300 ms apart at least) each old connection is used while its worker
	 * is out of rotation, before the client closes it.
	 */
	private static final int EXCHANGES_WHILE_DRAINING = 5;

	/** A slow, busy machine boots a worker in 45 s; a reload boots two. */
	private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);

	@Test
	void anExtraPortIsSpreadOverTheWorkersAndAReloadLetsOpenConnectionsFinishOnTheirWorker() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("cluster.front-door.extra-ports", "echo=0")
			.property("sample.echo.enabled", "true")
			// The test, not a timeout, ends the connections that hold the old workers.
			.property("cluster.worker.drain-timeout", "10m")
			.start("extra-ports")) {
			cluster.awaitReady(2);
			Matcher logged = LOGGED_PORT.matcher(cluster.awaitLine(LOGGED_PORT.pattern(), Duration.ofSeconds(10)));
			assertThat(logged.find()).isTrue();
			int port = Integer.parseInt(logged.group(1));
			assertThat(port).isPositive();
			assertThat(cluster.countLines("serving .*extra port echo")).as("logged once, by the primary").isOne();
			ClusterState state = cluster.state();
			assertThat(state.<Integer>read("$.extraPorts.echo")).isEqualTo(port);
			List<Integer> internal = state.read("$.workers[*].extraPorts.echo");
			assertThat(internal).as("each worker's own loopback port").hasSize(2).doesNotHaveDuplicates();

			Set<Long> firstWorkers = state.pids("READY");
			List<EchoClient> old = new ArrayList<>();
			try {
				for (int i = 0; i < 4; i++) {
					old.add(new EchoClient(port));
				}
				assertThat(old).extracting(EchoClient::pid)
					.as("connections spread over both workers")
					.containsOnlyElementsOf(firstWorkers)
					.containsAll(firstWorkers);

				assertThat(Http.postAsAdmin(cluster.port(), "/actuator/cluster/reload").status()).isEqualTo(202);
				Set<Long> drainedWhileOpen = new HashSet<>();
				// Until the reload has ended: every old connection keeps being answered
				// by
				// its own worker; one whose worker is out of rotation (DRAINING) holds
				// it,
				// alive, while new connections go elsewhere; then the client ends it.
				await("the reload ending while old connections finish on their workers").atMost(RELOAD_TIMEOUT)
					.pollInterval(Duration.ofMillis(300))
					.failFast("the primary has exited", () -> !cluster.process().isAlive())
					.until(() -> {
						ClusterState now = cluster.state();
						Set<Long> draining = now.pids("DRAINING");
						for (EchoClient client : List.copyOf(old)) {
							client.exchange();
							if (draining.contains(client.pid())) {
								try (EchoClient fresh = new EchoClient(port)) {
									assertThat(fresh.pid()).as("a new connection while %s drains", client.pid())
										.isNotEqualTo(client.pid());
								}
								drainedWhileOpen.add(client.pid());
								if (++client.whileDraining == EXCHANGES_WHILE_DRAINING) {
									client.close();
									old.remove(client);
								}
							}
						}
						return old.isEmpty() && now.reload().filter((reload) -> !reload.running()).isPresent();
					});
				assertThat(drainedWhileOpen).as("both old workers were held by their open connections")
					.isEqualTo(firstWorkers);
			}
			finally {
				for (EchoClient client : old) {
					client.close();
				}
			}
			ClusterState.Reload reload = cluster.state().reload().orElseThrow();
			assertThat(reload.state()).isEqualTo("SUCCEEDED");
			Set<Long> newWorkers = cluster.state().pids("READY");
			assertThat(newWorkers).hasSize(2).doesNotContainAnyElementsOf(firstWorkers);
			List<Long> served = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				try (EchoClient client = new EchoClient(port)) {
					served.add(client.pid());
				}
			}
			assertThat(served).as("new connections after the reload")
				.containsOnlyElementsOf(newWorkers)
				.containsAll(newWorkers);
		}
	}

	@Test
	void aBadExtraPortFailsTheStartNamingTheProperty() throws Exception {
		try (ClusterProcess cluster = Sample.command()
			.property("cluster.front-door.extra-ports", "echo=8080x")
			.start("extra-ports-bad")) {
			assertThat(cluster.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
			assertThat(cluster.output()).contains("APPLICATION FAILED TO START")
				.contains("for property 'cluster.front-door.extra-ports'")
				.contains("name=port");
			assertThat(cluster.workerPids()).isEmpty();
		}
	}

	/**
	 * One client of the sample's line echo server, through the public extra port: each
	 * line it sends comes back as {@code <worker id> <pid> <line>}, all from one worker.
	 */
	private static final class EchoClient implements AutoCloseable {

		private final Socket socket = new Socket();

		private final BufferedReader in;

		private final long pid;

		private int sent;

		/** Exchanges while its worker was out of rotation. */
		private int whileDraining;

		EchoClient(int port) throws IOException {
			this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			this.socket.setSoTimeout(30_000);
			this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
			this.pid = Long.parseLong(send().split(" ")[1]);
		}

		long pid() {
			return this.pid;
		}

		/** One line there and back, answered by the same worker as the first. */
		void exchange() throws IOException {
			String answer = send();
			assertThat(Long.parseLong(answer.split(" ")[1])).as("the worker answering " + answer).isEqualTo(this.pid);
		}

		private String send() throws IOException {
			String line = "line-" + (++this.sent);
			this.socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
			String answer = this.in.readLine();
			if (answer == null || !answer.endsWith(" " + line)) {
				throw new AssertionError("Expected an answer to " + line + ", got " + answer);
			}
			return answer;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
