package dev.bootcluster.test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;

/**
 * One answer of {@code GET /actuator/cluster}, read by JSON path: what the tests assert
 * about workers, reloads and exit codes, independent of field order and log wording. An
 * immutable snapshot.
 */
public final class ClusterState {

	private static final Configuration JSON = Configuration.defaultConfiguration()
		.addOptions(Option.DEFAULT_PATH_LEAF_TO_NULL);

	private final DocumentContext json;

	private ClusterState(DocumentContext json) {
		this.json = json;
	}

	public static ClusterState parse(String body) {
		return new ClusterState(JsonPath.using(JSON).parse(body));
	}

	/** Any value by JSON path, such as {@code $.workers[0].heapMax}. */
	public <T> T read(String path) {
		return this.json.read(path);
	}

	public long primaryPid() {
		return number("$.primaryPid");
	}

	public String schedulingPolicy() {
		return read("$.schedulingPolicy");
	}

	public List<Integer> ports() {
		return read("$.ports");
	}

	public int desiredWorkers() {
		return (int) number("$.desiredWorkers");
	}

	/**
	 * Every worker entry, in the endpoint's order: a slot shows each of its processes.
	 */
	public List<Worker> workers() {
		List<Map<String, Object>> workers = read("$.workers");
		return workers.stream().map(Worker::of).toList();
	}

	/**
	 * The entries of slot {@code id}: its worker, and a replacement or a retiring one.
	 */
	public List<Worker> workers(int id) {
		return workers().stream().filter((worker) -> worker.id() == id).toList();
	}

	/**
	 * {@code "id:STATE"} of every entry, in order, such as {@code [1:READY, 2:FAILED]}.
	 */
	public List<String> states() {
		return workers().stream().map((worker) -> worker.id() + ":" + worker.state()).toList();
	}

	/** The pids of the entries in {@code state}. */
	public Set<Long> pids(String state) {
		return workers().stream()
			.filter((worker) -> worker.state().equals(state))
			.map(Worker::pid)
			.collect(Collectors.toSet());
	}

	/** The pid of slot {@code id}'s READY worker, or -1. */
	public long readyPid(int id) {
		return workers(id).stream().filter(Worker::ready).mapToLong(Worker::pid).findFirst().orElse(-1);
	}

	/** The current or last reload, if any. */
	public Optional<Reload> reload() {
		Map<String, Object> reload = read("$.reload");
		return Optional.ofNullable(reload).map(Reload::of);
	}

	/** Requests the front door answered 502 or cut short since the primary started. */
	public long failedRequests() {
		return number("$.failedRequests");
	}

	private long number(String path) {
		return ((Number) read(path)).longValue();
	}

	@Override
	public String toString() {
		return this.json.jsonString();
	}

	/** How a slot's last process ended; {@code signal} is null for a plain exit. */
	public record Exit(int code, String signal) {

		static Exit of(Map<String, Object> exit) {
			return (exit != null) ? new Exit(((Number) exit.get("code")).intValue(), (String) exit.get("signal"))
					: null;
		}

	}

	/** One entry; {@code requests} and heap are as of the worker's last heartbeat. */
	public record Worker(int id, long pid, String state, int generation, int restarts, long totalConnections,
			long requests, long heapUsed, long heapMax, long residentMemory, Exit lastExit) {

		@SuppressWarnings("unchecked")
		static Worker of(Map<String, Object> worker) {
			return new Worker(integer(worker, "id"), longValue(worker, "pid"), (String) worker.get("state"),
					integer(worker, "generation"), integer(worker, "restarts"), longValue(worker, "totalConnections"),
					longValue(worker, "requests"), longValue(worker, "heapUsed"), longValue(worker, "heapMax"),
					longValue(worker, "residentMemory"), Exit.of((Map<String, Object>) worker.get("lastExit")));
		}

		public boolean ready() {
			return "READY".equals(this.state);
		}

	}

	/**
	 * {@code state} is RUNNING, SUCCEEDED or FAILED; {@code progress} such as "1/2
	 * replaced".
	 */
	public record Reload(String id, String trigger, String state, String progress, int replaced, int total,
			String failure) {

		static Reload of(Map<String, Object> reload) {
			return new Reload((String) reload.get("id"), (String) reload.get("trigger"), (String) reload.get("state"),
					(String) reload.get("progress"), integer(reload, "replaced"), integer(reload, "total"),
					(String) reload.get("failure"));
		}

		public boolean running() {
			return "RUNNING".equals(this.state);
		}

	}

	private static int integer(Map<String, Object> map, String key) {
		return (int) longValue(map, key);
	}

	private static long longValue(Map<String, Object> map, String key) {
		Object value = map.get(key);
		if (!(value instanceof Number number)) {
			throw new AssertionError("No number '" + key + "' in " + map);
		}
		return number.longValue();
	}

}
