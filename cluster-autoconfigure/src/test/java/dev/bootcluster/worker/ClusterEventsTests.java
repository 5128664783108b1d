package dev.bootcluster.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * {@link ClusterEvents}: events reach the listeners in order, off the caller's thread; a
 * failing listener does not stop the next event; one published after the context closed
 * is dropped without an error.
 */
class ClusterEventsTests {

	private final List<String> published = new CopyOnWriteArrayList<>();

	@Test
	void eventsArriveInOrderOnTheirOwnThreadPastAFailingListener() throws Exception {
		ClusterEvents events = new ClusterEvents((event) -> {
			if ("boom".equals(event)) {
				throw new IllegalStateException("listener failed");
			}
			this.published.add(Thread.currentThread().getName() + ":" + event);
		});
		events.publish("one");
		events.publish("boom");
		events.publish("two");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.published.size() == 2);
		assertThat(this.published).containsExactly("cluster-events:one", "cluster-events:two");
		events.destroy();
		assertThatNoException().isThrownBy(() -> events.publish("three"));
	}

}
