package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Picks the worker for a new connection.
 * <p>
 * Threads: called concurrently by the relay loops; implementations keep no state but what
 * is safe to share.
 */
interface Scheduler {

	/**
	 * @param ready the workers in rotation, in worker id order
	 * @param refused workers that just refused this connection: never pick them
	 * @param client the client's address
	 * @return the worker, or {@code null} if none is left
	 */
	@Nullable Backend pick(List<Backend> ready, List<Backend> refused, InetAddress client);

}
