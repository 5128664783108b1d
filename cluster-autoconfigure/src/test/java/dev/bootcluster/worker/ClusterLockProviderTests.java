package dev.bootcluster.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.channel.Message;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterLockProvider}: a ShedLock lock is a lease for lockAtMostFor, given back
 * with what is left of lockAtLeastFor.
 */
class ClusterLockProviderTests {

	private final List<List<String>> asked = new ArrayList<>();

	private final List<List<String>> released = new ArrayList<>();

	private boolean grant = true;

	private final ClusterLockProvider provider = new ClusterLockProvider(
			new WorkerLeases(this::ask, (message) -> this.released.add(message.fields()), (event) -> {
			}));

	@Test
	void aLockHeldElsewhereIsNotTaken() {
		this.grant = false;
		assertThat(this.provider.lock(configuration(Duration.ofMinutes(1), Duration.ZERO))).isEmpty();
		assertThat(this.asked).containsExactly(List.of("report", "60000"));
	}

	@Test
	void aLockIsHeldForLockAtMostForAndKeptForWhatIsLeftOfLockAtLeastFor() {
		Optional<SimpleLock> lock = this.provider.lock(configuration(Duration.ofMinutes(15), Duration.ofMinutes(10)));
		assertThat(lock).isPresent();
		assertThat(this.asked).containsExactly(List.of("report", "900000"));
		lock.get().unlock();
		assertThat(this.released).singleElement().satisfies((fields) -> {
			assertThat(fields.get(0)).isEqualTo("report");
			assertThat(Long.parseLong(fields.get(1))).isBetween(Duration.ofMinutes(9).toMillis(),
					Duration.ofMinutes(10).toMillis());
		});
	}

	@Test
	void aLockWithoutLockAtLeastForIsFreeAtOnceWhenUnlocked() {
		this.provider.lock(configuration(Duration.ofMinutes(1), Duration.ZERO)).orElseThrow().unlock();
		assertThat(this.released).containsExactly(List.of("report", "0"));
	}

	private static LockConfiguration configuration(Duration atMostFor, Duration atLeastFor) {
		Instant now = ClockProvider.now();
		return new LockConfiguration(now, "report", atMostFor, atLeastFor);
	}

	private CompletableFuture<Message> ask(Message.Type type, Object[] fields) {
		this.asked.add(List.of(String.valueOf(fields[0]), String.valueOf(fields[1])));
		return CompletableFuture.completedFuture(Message.of(Message.Type.LEASE_STATE, "1", this.grant, 1));
	}

}
