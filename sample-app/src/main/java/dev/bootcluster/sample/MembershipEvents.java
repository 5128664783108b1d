package dev.bootcluster.sample;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.bootcluster.membership.ClusterMembershipEvent;

import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keeps the last membership events this worker saw (workers started, ready, exited;
 * reloads), and shows them: {@code GET /cluster/events}.
 */
@RestController
public class MembershipEvents {

	private static final int KEPT = 100;

	private final Deque<String> seen = new ArrayDeque<>();

	@EventListener
	public synchronized void on(ClusterMembershipEvent event) {
		if (this.seen.size() == KEPT) {
			this.seen.removeFirst();
		}
		this.seen.addLast(event.toString());
	}

	@GetMapping("/cluster/events")
	public synchronized List<String> seen() {
		return List.copyOf(this.seen);
	}

}
