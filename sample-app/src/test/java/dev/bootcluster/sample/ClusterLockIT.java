package dev.bootcluster.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ShedLock with the starter's {@code LockProvider}: the primary holds the lock for the
 * whole cluster, with no database. Two workers run the sample's locked task at once: one
 * runs it, the other is refused; the lock is free again after the run, and kept after a
 * run for its lockAtLeastFor.
 */
class ClusterLockIT {

	private static final String LOCKED = "/jobs/locked?ms=5000";

	@Test
	void theLockIsHeldForTheWholeClusterAndFreedAfterTheRun() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("cluster-lock")) {
			int port = cluster.awaitReady(2);
			List<Http.Response> pair = List.of();
			// Two new connections in a row go to both workers (round-robin); tried again
			// should one worker have been skipped for a turn.
			for (int attempt = 0; attempt < 5 && !fromBothWorkers(pair); attempt++) {
				CompletableFuture<Http.Response> first = post(port, LOCKED);
				CompletableFuture<Http.Response> second = post(port, LOCKED);
				pair = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
			}
			assertThat(fromBothWorkers(pair)).as("answers from both workers: " + pair).isTrue();
			assertThat(pair).extracting((response) -> response.<Boolean>json("$.ran"))
				.as("ran, in the two workers at once")
				.containsExactlyInAnyOrder(true, false);

			assertThat(ran(port, "/jobs/locked?ms=0")).as("free again after the run").isTrue();
			assertThat(ran(port, "/jobs/locked?ms=0&leastMs=30000")).isTrue();
			assertThat(ran(port, "/jobs/locked?ms=0")).as("kept for lockAtLeastFor").isFalse();
		}
	}

	private static boolean fromBothWorkers(List<Http.Response> pair) {
		return pair.size() == 2 && !pair.get(0).<String>json("$.worker").equals(pair.get(1).json("$.worker"));
	}

	private static boolean ran(int port, String path) throws IOException {
		Http.Response response = Http.postAsAdmin(port, path);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json("$.ran");
	}

	private static CompletableFuture<Http.Response> post(int port, String path) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return Http.postAsAdmin(port, path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

}
