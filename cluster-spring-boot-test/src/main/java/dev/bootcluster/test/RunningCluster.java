package dev.bootcluster.test;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A cluster started for a {@link ClusterTest}, and what a test does to it: its port, its
 * endpoint's state, requests, killing a worker, reloading, restarting one worker,
 * scaling, and waiting for any state. Every wait polls {@code /actuator/cluster} (which
 * the app must expose: {@code management.endpoints.web.exposure.include=cluster}) up to
 * {@link #TIMEOUT}, and fails at once if the primary exits. The test's thread uses it;
 * only the process's output is appended to by another thread.
 */
public final class RunningCluster implements AutoCloseable {

	/** How long any wait may take: workers booting together on a slow, busy machine. */
	public static final Duration TIMEOUT = ClusterProcess.READY_TIMEOUT;

	private final ClusterProcess process;

	/** The HTTP Basic header line for the endpoint's writes, or empty. */
	private final String authorization;

	RunningCluster(ClusterProcess process, String credentials) {
		this.process = process;
		int colon = credentials.indexOf(':');
		this.authorization = (colon < 0) ? ""
				: Http.basic(credentials.substring(0, colon), credentials.substring(colon + 1));
	}

	/** The public port the primary serves (random unless set). */
	public int port() {
		return this.process.port();
	}

	/** The primary's process: its pid, its output, its workers' pids, its log lines. */
	public ClusterProcess process() {
		return this.process;
	}

	/** Everything the primary and its workers printed so far. */
	public String output() {
		return this.process.output();
	}

	/** {@code GET /actuator/cluster} now. */
	public ClusterState state() throws IOException {
		return this.process.state();
	}

	/** Polls {@code /actuator/cluster} until {@code condition} holds, and returns it. */
	public ClusterState awaitState(String description, Predicate<ClusterState> condition) {
		return this.process.awaitState(description, condition, TIMEOUT);
	}

	/** {@code GET path} on the public port, on a new connection. */
	public Http.Response get(String path) throws IOException {
		return Http.get(port(), path);
	}

	/**
	 * {@code kill -9} of worker {@code id}'s ready process.
	 * @return the pid killed
	 */
	public long killWorker(int id) throws IOException, InterruptedException {
		long pid = state().readyPid(id);
		if (pid < 0) {
			throw new AssertionError("Worker " + id + " has no ready process: " + state());
		}
		ClusterProcess.signal(pid, "KILL");
		return pid;
	}

	/**
	 * Waits until worker {@code id} is ready again in a process other than {@code pid}.
	 * @return the new pid
	 */
	public long awaitReplaced(int id, long pid) {
		return this.process
			.awaitState("worker " + id + " ready again, not pid " + pid,
					(state) -> state.readyPid(id) > 0 && state.readyPid(id) != pid, TIMEOUT)
			.readyPid(id);
	}

	/**
	 * A rolling reload ({@code SIGHUP} to the primary: no HTTP write needed), waited for
	 * to the end.
	 * @return the reload as it ended: SUCCEEDED or FAILED
	 */
	public ClusterState.Reload reload() throws IOException, InterruptedException {
		Optional<String> before = state().reload().map(ClusterState.Reload::id);
		ClusterProcess.signal(this.process.pid(), "HUP");
		return awaitState("a new reload ended",
				(state) -> state.reload()
					.filter((reload) -> !before.equals(Optional.of(reload.id())) && !reload.running())
					.isPresent())
			.reload()
			.orElseThrow();
	}

	/**
	 * Replaces worker {@code id} as a reload does ({@code POST
	 * /actuator/cluster/workers/{id}/restart}, which the app must allow:
	 * {@code management.endpoint.cluster.access=unrestricted}, with
	 * {@link ClusterTest#credentials} where it is secured), waited for to the end.
	 * @return the restart as it ended: SUCCEEDED or FAILED
	 */
	public ClusterState.Reload restart(int id) throws IOException {
		Http.Response response = Http.request(this.process.statusPort(), "POST",
				"/actuator/cluster/workers/" + id + "/restart", this.authorization);
		if (response.status() != 202) {
			throw new AssertionError(
					"Restart of worker " + id + " answered " + response.status() + ": " + response.body());
		}
		return this.process.awaitReloadEnd(response.json("$.reload"), TIMEOUT);
	}

	/**
	 * Scales to {@code workers} by signals, one worker at a time ({@code SIGTTIN} adds
	 * one, {@code SIGTTOU} removes one; signals are not queued, so each waits for the
	 * last), and waits until exactly that many are ready and no other is left.
	 * @return the state then
	 */
	public ClusterState scale(int workers) throws IOException, InterruptedException {
		int desired = state().desiredWorkers();
		while (desired != workers) {
			int next = (workers > desired) ? desired + 1 : desired - 1;
			ClusterProcess.signal(this.process.pid(), (next > desired) ? "TTIN" : "TTOU");
			awaitState("desired workers " + next, (state) -> state.desiredWorkers() == next);
			desired = next;
		}
		return awaitState(workers + " worker(s) ready, no other",
				(state) -> state.pids("READY").size() == workers && state.workers().size() == workers);
	}

	/** Kills the primary and every worker; the extension does it after the test class. */
	@Override
	public void close() {
		this.process.close();
	}

}
