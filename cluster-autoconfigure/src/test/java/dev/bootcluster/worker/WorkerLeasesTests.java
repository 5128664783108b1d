package dev.bootcluster.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.channel.Message;
import dev.bootcluster.scheduling.ClusterLeadershipGranted;
import dev.bootcluster.scheduling.ClusterLeadershipRevoked;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WorkerLeases} against a fake primary: a tick runs only with the lease, the
 * leadership events follow what the primary says, and a revoked lease is given back only
 * once its run has ended.
 */
class WorkerLeasesTests {

	private final List<Object> events = new ArrayList<>();

	private final List<List<String>> asked = new ArrayList<>();

	private final List<List<String>> sent = new ArrayList<>();

	/** What the fake primary answers next; {@code null}: it does not answer in time. */
	private Boolean grant = true;

	private final WorkerLeases leases = new WorkerLeases(this::ask, (message) -> this.sent.add(message.fields()),
			this.events::add);

	@Test
	void aTickRunsOnlyWhenThePrimaryGrantsTheLeaseAndLeadershipEventsFollowIt() {
		assertThat(this.leases.startRun("job")).isTrue();
		this.leases.endRun("job");
		assertThat(this.leases.startRun("job")).isTrue();
		this.leases.endRun("job");
		assertThat(this.asked).containsExactly(List.of("job", "0"), List.of("job", "0"));
		assertThat(this.events).containsExactly(new ClusterLeadershipGranted("job"));
		this.grant = false;
		assertThat(this.leases.startRun("job")).isFalse();
		assertThat(this.events).containsExactly(new ClusterLeadershipGranted("job"),
				new ClusterLeadershipRevoked("job"));
		assertThat(this.sent).isEmpty();
	}

	@Test
	void noAnswerFromThePrimarySkipsTheTick() {
		this.grant = null;
		assertThat(this.leases.startRun("job")).isFalse();
		assertThat(this.events).isEmpty();
	}

	@Test
	void aRevokedLeaseIsGivenBackAtOnceWhenNoRunIsInProgress() {
		this.leases.startRun("job");
		this.leases.endRun("job");
		this.leases.revoked("job");
		assertThat(this.events).containsExactly(new ClusterLeadershipGranted("job"),
				new ClusterLeadershipRevoked("job"));
		assertThat(this.sent).containsExactly(List.of("job", "0"));
	}

	@Test
	void aRevokedLeaseIsGivenBackOnlyWhenItsRunHasEnded() {
		this.leases.startRun("job");
		this.leases.revoked("job");
		assertThat(this.events).containsExactly(new ClusterLeadershipGranted("job"),
				new ClusterLeadershipRevoked("job"));
		assertThat(this.sent).isEmpty();
		this.leases.endRun("job");
		assertThat(this.sent).containsExactly(List.of("job", "0"));
	}

	@Test
	void aLockIsALeaseWithATimeLimitAndItsReleaseKeepsItForTheLeastTime() {
		assertThat(this.leases.tryLock("lock", Duration.ofSeconds(30))).isTrue();
		assertThat(this.leases.tryLock("other", Duration.ZERO)).as("never 'while alive'").isTrue();
		this.leases.unlock("lock", Duration.ofMillis(1500));
		this.leases.unlock("other", Duration.ofMillis(-5));
		assertThat(this.asked).containsExactly(List.of("lock", "30000"), List.of("other", "1"));
		assertThat(this.sent).containsExactly(List.of("lock", "1500"), List.of("other", "0"));
		assertThat(this.events).as("a lock is no leadership").isEmpty();
	}

	private CompletableFuture<Message> ask(Message.Type type, Object[] fields) {
		assertThat(type).isEqualTo(Message.Type.LEASE);
		this.asked.add(List.of(String.valueOf(fields[0]), String.valueOf(fields[1])));
		if (this.grant == null) {
			return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException());
		}
		return CompletableFuture.completedFuture(Message.of(Message.Type.LEASE_STATE, "1", this.grant, 1));
	}

}
