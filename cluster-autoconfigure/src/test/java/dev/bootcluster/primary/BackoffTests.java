package dev.bootcluster.primary;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60));

	@Test
	void delayDoublesWithEachConsecutiveDeathUpToTheMaximum() {
		assertThat(this.backoff.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(this.backoff.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.delayAfter(4)).isEqualTo(Duration.ofMillis(800));
		assertThat(this.backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.backoff.delayAfter(1000)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aWorkerThatStayedUpLongEnoughResetsTheCount() {
		assertThat(this.backoff.resets(Duration.ofSeconds(59))).isFalse();
		assertThat(this.backoff.resets(Duration.ofSeconds(60))).isTrue();
	}

}
