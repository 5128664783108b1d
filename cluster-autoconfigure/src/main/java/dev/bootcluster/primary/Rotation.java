package dev.bootcluster.primary;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.bootcluster.frontdoor.Backend;

/**
 * What the arbiter needs of the front door: which workers take new connections, when to
 * stop accepting, the public ports it shows in the cluster's status, and whether a
 * retired worker still has requests to answer.
 * <p>
 * Threads: called on the arbiter thread.
 */
interface Rotation {

	/** From now on, new connections go to these ready workers. */
	void route(List<Backend> ready);

	/** Closes the public ports; connections already relayed go on. */
	void stopAccepting();

	/**
	 * An upgrade's new primary: binds the ports the old one serves, and accepts on them
	 * too.
	 */
	void listen() throws IOException;

	/**
	 * The old primary of an upgrade: closes the public ports once what waits in their
	 * backlog is accepted; then new and moved connections go to the new primary.
	 * @return completes once they do
	 */
	CompletableFuture<Void> handOver(long successor);

	/** The web ports: the server's, then actuator's own when it has one. */
	List<Integer> ports();

	/** The app's own extra ports, by name. */
	Map<String, Integer> extraPorts();

	/** Requests answered {@code 502} or cut short since the front door opened. */
	long failedRequests();

	/** Requests relayed to this worker that it has not begun to answer. */
	int requestsInFlight(Backend backend);

}
