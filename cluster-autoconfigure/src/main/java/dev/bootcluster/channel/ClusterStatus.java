package dev.bootcluster.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the primary knows of the cluster, as the {@code cluster} endpoint shows it. The
 * primary builds it; it crosses the control channel as plain message fields.
 * {@code failedRequests} counts the requests the front door answered {@code 502} or cut
 * short, since the primary started. {@code ports} are the web ports (the server's, then
 * actuator's own); {@code extraPorts} the app's own ports the primary fronts, by name.
 * {@code starterVersion} is the primary's {@link StarterVersion} ({@code null} if
 * unknown), and {@code versionSkew} says whether the workers run another one.
 */
public record ClusterStatus(long primaryPid, Instant startedAt, Duration uptime, String schedulingPolicy,
		List<Integer> ports, Map<String, Integer> extraPorts, int desiredWorkers, int maxWorkers, List<Worker> workers,
		@Nullable Reload reload, long reloadsSucceeded, long reloadsFailed, long failedRequests,
		List<String> restartPending, @Nullable String starterVersion, boolean versionSkew) {

	/** How many workers are in this state. */
	public long count(WorkerState state) {
		return this.workers.stream().filter((worker) -> worker.state().equals(state.name())).count();
	}

	/**
	 * One worker process. {@code uptime} counts from when it became ready; an
	 * {@code EXITED} entry stands for a worker slot waiting to be restarted, a
	 * {@code FAILED} one for a slot in a crash loop that is not restarted. Requests and
	 * heap are what the worker's last heartbeat said; resident memory is what the OS said
	 * at the primary's last check (all in bytes). {@code extraPorts} are the loopback
	 * ports it serves the extra ports on, by name; {@code starterVersion} the
	 * {@link StarterVersion} it reported when ready ({@code null} if none yet, or
	 * unknown).
	 */
	public record Worker(int id, long pid, String state, int generation, @Nullable Instant startedAt, Duration uptime,
			int restarts, int activeConnections, long totalConnections, long requests, long heapUsed, long heapMax,
			long residentMemory, @Nullable Exit lastExit, Map<String, Integer> extraPorts,
			@Nullable String starterVersion) {

		Worker withExtraPorts(Map<String, Integer> ports) {
			return new Worker(this.id, this.pid, this.state, this.generation, this.startedAt, this.uptime,
					this.restarts, this.activeConnections, this.totalConnections, this.requests, this.heapUsed,
					this.heapMax, this.residentMemory, this.lastExit, ports, this.starterVersion);
		}

		Worker withStarterVersion(@Nullable String version) {
			return new Worker(this.id, this.pid, this.state, this.generation, this.startedAt, this.uptime,
					this.restarts, this.activeConnections, this.totalConnections, this.requests, this.heapUsed,
					this.heapMax, this.residentMemory, this.lastExit, this.extraPorts, version);
		}

	}

	/**
	 * How a worker process ended: its exit code, the signal when one killed it, and when.
	 */
	public record Exit(int code, @Nullable String signal, Instant at) {
	}

	/**
	 * The current or last reload (a rolling restart of every worker, or of one):
	 * {@code replacedPids} are the workers it replaced, {@code skipped} the slots that
	 * had no worker of older code to replace.
	 */
	public record Reload(String id, String trigger, String state, String progress, int replaced, int total,
			Instant startedAt, @Nullable Instant endedAt, @Nullable String failure, int skipped,
			List<Long> replacedPids) {
	}

	List<String> encode() {
		Fields out = new Fields();
		out.add(this.primaryPid).add(this.startedAt).add(this.uptime).add(this.schedulingPolicy);
		out.add(this.ports.size());
		this.ports.forEach(out::add);
		out.add(this.desiredWorkers).add(this.maxWorkers).add(this.reloadsSucceeded).add(this.reloadsFailed);
		out.add(this.workers.size());
		for (Worker worker : this.workers) {
			out.add(worker.id)
				.add(worker.pid)
				.add(worker.state)
				.add(worker.generation)
				.add(worker.startedAt)
				.add(worker.uptime)
				.add(worker.restarts)
				.add(worker.activeConnections)
				.add(worker.totalConnections)
				.add(worker.requests)
				.add(worker.heapUsed)
				.add(worker.heapMax)
				.add(worker.residentMemory);
			out.add(worker.lastExit != null);
			if (worker.lastExit != null) {
				out.add(worker.lastExit.code).add(worker.lastExit.signal).add(worker.lastExit.at);
			}
		}
		out.add(this.reload != null);
		if (this.reload != null) {
			out.add(this.reload.id)
				.add(this.reload.trigger)
				.add(this.reload.state)
				.add(this.reload.replaced)
				.add(this.reload.total)
				.add(this.reload.startedAt)
				.add(this.reload.endedAt)
				.add(this.reload.failure);
			// Added later, at the end: an older decoder reads what it knows and ignores
			// these.
			out.add(this.reload.progress).add(this.reload.skipped).add(this.reload.replacedPids.size());
			this.reload.replacedPids.forEach(out::add);
		}
		// Added later, at the end: an older decoder ignores it, a newer one reads 0
		// without it.
		out.add(this.failedRequests);
		// Added later, at the end: the extra ports, the cluster's then each worker's.
		out.add(this.extraPorts);
		this.workers.forEach((worker) -> out.add(worker.extraPorts));
		// Added later, at the end: a count, then each property.
		out.add(this.restartPending.size());
		this.restartPending.forEach(out::add);
		// Added later, at the end: the primary's starter version, then each worker's.
		out.add(this.starterVersion);
		this.workers.forEach((worker) -> out.add(worker.starterVersion));
		return out.values;
	}

	static ClusterStatus decode(List<String> fields) {
		In in = new In(fields.iterator());
		long primaryPid = in.longValue();
		Instant startedAt = in.required(in.instant());
		Duration uptime = in.duration();
		String policy = in.required(in.string());
		List<Integer> ports = new ArrayList<>();
		for (int i = in.intValue(); i > 0; i--) {
			ports.add(in.intValue());
		}
		int desired = in.intValue();
		int max = in.intValue();
		long succeeded = in.longValue();
		long failed = in.longValue();
		List<Worker> workers = new ArrayList<>();
		for (int i = in.intValue(); i > 0; i--) {
			workers.add(new Worker(in.intValue(), in.longValue(), in.required(in.string()), in.intValue(), in.instant(),
					in.duration(), in.intValue(), in.intValue(), in.longValue(), in.longValue(), in.longValue(),
					in.longValue(), in.longValue(),
					in.bool() ? new Exit(in.intValue(), in.string(), in.required(in.instant())) : null, Map.of(),
					null));
		}
		Reload reload = null;
		if (in.bool()) {
			String id = in.required(in.string());
			String trigger = in.required(in.string());
			String state = in.required(in.string());
			int replaced = in.intValue();
			int total = in.intValue();
			Instant reloadStarted = in.required(in.instant());
			Instant reloadEnded = in.instant();
			String failure = in.string();
			String progress = replaced + "/" + total + " replaced";
			int skipped = 0;
			List<Long> pids = new ArrayList<>();
			if (in.fields.hasNext()) {
				progress = in.required(in.string());
				skipped = in.intValue();
				for (int i = in.intValue(); i > 0; i--) {
					pids.add(in.longValue());
				}
			}
			reload = new Reload(id, trigger, state, progress, replaced, total, reloadStarted, reloadEnded, failure,
					skipped, List.copyOf(pids));
		}
		long failedRequests = in.fields.hasNext() ? in.longValue() : 0;
		Map<String, Integer> extraPorts = in.fields.hasNext() ? in.ports() : Map.of();
		if (in.fields.hasNext()) {
			for (int i = 0; i < workers.size(); i++) {
				workers.set(i, workers.get(i).withExtraPorts(in.ports()));
			}
		}
		List<String> restartPending = new ArrayList<>();
		for (int i = in.fields.hasNext() ? in.intValue() : 0; i > 0; i--) {
			restartPending.add(in.required(in.string()));
		}
		String starterVersion = null;
		if (in.fields.hasNext()) {
			starterVersion = in.string();
			for (int i = 0; i < workers.size(); i++) {
				workers.set(i, workers.get(i).withStarterVersion(in.string()));
			}
		}
		return new ClusterStatus(primaryPid, startedAt, uptime, policy, List.copyOf(ports), extraPorts, desired, max,
				List.copyOf(workers), reload, succeeded, failed, failedRequests, List.copyOf(restartPending),
				starterVersion,
				StarterVersion.skewed(starterVersion, workers.stream().map(Worker::starterVersion).toList()));
	}

	/** Writes values as message fields; {@code null} as an empty field. */
	private static final class Fields {

		private final List<String> values = new ArrayList<>();

		/** A count, then each name and port. */
		Fields add(Map<String, Integer> ports) {
			add(ports.size());
			ports.forEach((name, port) -> add(name).add(port));
			return this;
		}

		Fields add(@Nullable Object value) {
			if (value instanceof Instant instant) {
				value = instant.toEpochMilli();
			}
			else if (value instanceof Duration duration) {
				value = duration.toMillis();
			}
			this.values.add((value != null) ? value.toString() : "");
			return this;
		}

	}

	/** Reads message fields back in the order {@link Fields} wrote them. */
	private record In(Iterator<String> fields) {

		@Nullable String string() {
			String value = this.fields.next();
			return value.isEmpty() ? null : value;
		}

		/** A field the primary always writes: empty means the message is not a status. */
		<T> T required(@Nullable T value) {
			if (value == null) {
				throw new IllegalArgumentException("A required cluster status field is empty");
			}
			return value;
		}

		int intValue() {
			return Integer.parseInt(this.fields.next());
		}

		long longValue() {
			return Long.parseLong(this.fields.next());
		}

		boolean bool() {
			return Boolean.parseBoolean(this.fields.next());
		}

		@Nullable Instant instant() {
			String value = string();
			return (value != null) ? Instant.ofEpochMilli(Long.parseLong(value)) : null;
		}

		Duration duration() {
			return Duration.ofMillis(longValue());
		}

		Map<String, Integer> ports() {
			Map<String, Integer> ports = new LinkedHashMap<>();
			for (int i = intValue(); i > 0; i--) {
				ports.put(required(string()), intValue());
			}
			return ports;
		}

	}

}
