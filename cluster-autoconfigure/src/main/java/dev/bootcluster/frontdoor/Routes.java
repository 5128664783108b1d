package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The workers in rotation and the policy that picks among them.
 * <p>
 * Threads: the arbiter replaces the list; relay loops pick concurrently.
 */
final class Routes {

	private final Scheduler scheduler;

	private volatile List<Backend> ready = List.of();

	Routes(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	void update(List<Backend> ready) {
		this.ready = List.copyOf(ready);
	}

	@Nullable Backend pick(List<Backend> refused, InetAddress client) {
		return this.scheduler.pick(this.ready, refused, client);
	}

}
