package dev.bootcluster.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStatusTests {

	private static final Instant T = Instant.ofEpochMilli(1_700_000_000_000L);

	@Test
	void crossesTheChannelWhole() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ofSeconds(90), "round-robin", List.of(8080, 8081),
				Map.of("grpc", 9090, "echo", 41000), 2, 8,
				List.of(new ClusterStatus.Worker(1, 100, "READY", 3, T, Duration.ofMillis(1500), 1, 4, 99, 1234,
						50_000_000, 400_000_000, 180_000_000, new ClusterStatus.Exit(137, "SIGKILL", T),
						Map.of("grpc", 38211, "echo", 38212), "0.2.0"),
						new ClusterStatus.Worker(2, 0, "FAILED", 3, null, Duration.ZERO, 11, 0, 0, 0, 0, 0, 0, null,
								Map.of(), null)),
				new ClusterStatus.Reload("reload-2", "SIGHUP", "FAILED", "1/3 replaced (1 had no worker of older code)",
						1, 3, T, T, "Worker 2 could not start:\tboom\nnext line", 1, List.of(77L)),
				5, 1, 17, List.of("cluster.scheduling-policy", "server.port"), "0.1.0", true);
		ClusterStatus decoded = Message.status("7", status).status();
		ClusterStatus.Reload reload = decoded.reload();
		assertThat(decoded).usingRecursiveComparison().ignoringFields("reload").isEqualTo(status);
		assertThat(reload).usingRecursiveComparison().ignoringFields("failure").isEqualTo(status.reload());
		assertThat(reload.failure()).isEqualTo("Worker 2 could not start: boom next line");
	}

	@Test
	void fromAnOlderPrimaryWithoutTheFailedRequestsCountsNone() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ZERO, "round-robin", List.of(8080), Map.of(), 1, 4,
				List.of(), null, 2, 0, 9, List.of(), null, false);
		List<String> fields = Message.status("1", status).fields();
		// without its last fields: the failed requests, the (no) extra ports, the (no)
		// properties pending a restart, the starter version
		ClusterStatus decoded = new Message(Message.Type.STATUS, fields.subList(0, fields.size() - 4)).status();
		assertThat(decoded.failedRequests()).isZero();
		assertThat(decoded.reloadsSucceeded()).isEqualTo(2);
	}

	@Test
	void fromAnOlderPrimaryWithoutExtraPortsShowsNone() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ZERO, "round-robin", List.of(8080),
				Map.of("grpc", 9090), 1, 4, List.of(new ClusterStatus.Worker(1, 100, "READY", 1, T, Duration.ZERO, 0, 0,
						0, 0, 0, 0, 0, null, Map.of("grpc", 38211), null)),
				null, 2, 0, 9, List.of(), null, false);
		List<String> fields = Message.status("1", status).fields();
		// an older primary's status ends with the failed requests
		ClusterStatus decoded = new Message(Message.Type.STATUS, fields.subList(0, fields.size() - 9)).status();
		assertThat(decoded.failedRequests()).isEqualTo(9);
		assertThat(decoded.extraPorts()).isEmpty();
		assertThat(decoded.workers().get(0).extraPorts()).isEmpty();
	}

	@Test
	void fromAnOlderPrimaryWithoutPropertiesPendingARestartShowsNone() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ZERO, "round-robin", List.of(8080), Map.of(), 1, 4,
				List.of(), null, 2, 0, 9, List.of("server.port"), null, false);
		List<String> fields = Message.status("1", status).fields();
		// an older primary's status ends with the extra ports
		ClusterStatus decoded = new Message(Message.Type.STATUS, fields.subList(0, fields.size() - 3)).status();
		assertThat(decoded.restartPending()).isEmpty();
		assertThat(decoded.failedRequests()).isEqualTo(9);
	}

	@Test
	void fromAnOlderPrimaryWithoutStarterVersionsShowsNoneAndNoSkew() {
		ClusterStatus status = new ClusterStatus(
				42, T, Duration.ZERO, "round-robin", List.of(8080), Map.of(), 1, 4, List.of(new ClusterStatus.Worker(1,
						100, "READY", 1, T, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, null, Map.of(), "0.2.0")),
				null, 2, 0, 9, List.of("server.port"), "0.1.0", true);
		List<String> fields = Message.status("1", status).fields();
		// an older primary's status ends with the properties pending a restart
		ClusterStatus decoded = new Message(Message.Type.STATUS, fields.subList(0, fields.size() - 2)).status();
		assertThat(decoded.restartPending()).containsExactly("server.port");
		assertThat(decoded.starterVersion()).isNull();
		assertThat(decoded.workers().get(0).starterVersion()).isNull();
		assertThat(decoded.versionSkew()).isFalse();
	}

	@Test
	void withoutAReloadOrExits() {
		ClusterStatus status = new ClusterStatus(
				42, T, Duration.ZERO, "round-robin", List.of(8080), Map.of(), 1, 4, List.of(new ClusterStatus.Worker(1,
						100, "STARTING", 1, T, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, null, Map.of(), null)),
				null, 0, 0, 0, List.of(), null, false);
		assertThat(Message.status("1", status).status()).isEqualTo(status);
		assertThat(status.count(WorkerState.STARTING)).isEqualTo(1);
		assertThat(status.count(WorkerState.READY)).isZero();
	}

}
