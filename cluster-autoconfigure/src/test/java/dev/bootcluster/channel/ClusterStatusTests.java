package dev.bootcluster.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStatusTests {

	private static final Instant T = Instant.ofEpochMilli(1_700_000_000_000L);

	@Test
	void crossesTheChannelWhole() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ofSeconds(90), "round-robin", List.of(8080, 8081), 2,
				8,
				List.of(new ClusterStatus.Worker(1, 100, "READY", 3, T, Duration.ofMillis(1500), 1, 4, 99, 1234,
						50_000_000, 400_000_000, 180_000_000, new ClusterStatus.Exit(137, "SIGKILL", T)),
						new ClusterStatus.Worker(2, 0, "FAILED", 3, null, Duration.ZERO, 11, 0, 0, 0, 0, 0, 0, null)),
				new ClusterStatus.Reload("reload-2", "SIGHUP", "FAILED", "1/3 replaced (1 had no worker of older code)",
						1, 3, T, T, "Worker 2 could not start:\tboom\nnext line", 1, List.of(77L)),
				5, 1, 17);
		ClusterStatus decoded = Message.status("7", status).status();
		ClusterStatus.Reload reload = decoded.reload();
		assertThat(decoded).usingRecursiveComparison().ignoringFields("reload").isEqualTo(status);
		assertThat(reload).usingRecursiveComparison().ignoringFields("failure").isEqualTo(status.reload());
		assertThat(reload.failure()).isEqualTo("Worker 2 could not start: boom next line");
	}

	@Test
	void fromAnOlderPrimaryWithoutTheFailedRequestsCountsNone() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ZERO, "round-robin", List.of(8080), 1, 4, List.of(),
				null, 2, 0, 9);
		List<String> fields = Message.status("1", status).fields();
		ClusterStatus decoded = new Message(Message.Type.STATUS, fields.subList(0, fields.size() - 1)).status();
		assertThat(decoded.failedRequests()).isZero();
		assertThat(decoded.reloadsSucceeded()).isEqualTo(2);
	}

	@Test
	void withoutAReloadOrExits() {
		ClusterStatus status = new ClusterStatus(42, T, Duration.ZERO, "round-robin", List.of(8080), 1, 4,
				List.of(new ClusterStatus.Worker(1, 100, "STARTING", 1, T, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, null)),
				null, 0, 0, 0);
		assertThat(Message.status("1", status).status()).isEqualTo(status);
		assertThat(status.count(WorkerState.STARTING)).isEqualTo(1);
		assertThat(status.count(WorkerState.READY)).isZero();
	}

}
