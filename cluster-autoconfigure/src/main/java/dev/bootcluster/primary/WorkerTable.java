package dev.bootcluster.primary;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import dev.bootcluster.channel.WorkerState;
import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.frontdoor.Backend;

import org.jspecify.annotations.Nullable;

/**
 * The worker slots (positions 1 to N) and the worker processes alive now, by pid: it
 * forks workers, no more starting at once than the start concurrency, resizes the
 * cluster, and tells the front door which workers are ready.
 * <p>
 * Threads: owned by the arbiter thread; a process's exit is reported to the given
 * listener on whatever thread noticed it.
 */
final class WorkerTable {

	private final List<Slot> slots = new ArrayList<>();

	private final Map<Long, WorkerProcess> workers = new LinkedHashMap<>();

	private Supervision supervision;

	/** How many workers may be starting (launched, not yet ready) at once. */
	private int startConcurrency;

	private final Ticker ticker;

	/** Told (pid, exit value) when a launched process ends. */
	private final BiConsumer<Long, Integer> exits;

	private final Membership membership;

	private @Nullable Launcher launcher;

	private List<Backend> routed = List.of();

	private boolean everReady;

	WorkerTable(int size, Supervision supervision, int startConcurrency, Ticker ticker, BiConsumer<Long, Integer> exits,
			Membership membership) {
		this.supervision = supervision;
		this.startConcurrency = startConcurrency;
		this.ticker = ticker;
		this.exits = exits;
		this.membership = membership;
		for (int id = 1; id <= size; id++) {
			this.slots.add(new Slot(id, ticker.nanos()));
		}
	}

	void use(Launcher launcher) {
		this.launcher = launcher;
	}

	/** New settings apply to the workers launched from now on. */
	void use(ClusterSettings settings) {
		this.supervision = settings.supervision();
		this.startConcurrency = settings.startConcurrency();
		Objects.requireNonNull(this.launcher, "No launcher in use").use(settings);
	}

	List<Slot> slots() {
		return this.slots;
	}

	int size() {
		return this.slots.size();
	}

	/**
	 * The slot with this id, or {@code null} if the cluster has no such slot (any more).
	 */
	@Nullable Slot slot(int id) {
		return (id >= 1 && id <= this.slots.size()) ? this.slots.get(id - 1) : null;
	}

	/** The worker processes alive now; only an exit removes one. */
	Collection<WorkerProcess> workers() {
		return Collections.unmodifiableCollection(this.workers.values());
	}

	@Nullable WorkerProcess worker(long pid) {
		return this.workers.get(pid);
	}

	@Nullable WorkerProcess remove(long pid) {
		return this.workers.remove(pid);
	}

	boolean isEmpty() {
		return this.workers.isEmpty();
	}

	/**
	 * Whether any worker has ever become ready: until then a crash means the app cannot
	 * boot.
	 */
	boolean everReady() {
		return this.everReady;
	}

	void sawReady() {
		this.everReady = true;
		if (this.launcher != null && this.workers.values().stream().allMatch(WorkerProcess::wasReady)) {
			this.launcher.allReady();
		}
	}

	/** A reload has replaced every worker it was to. */
	void reloadSucceeded() {
		Objects.requireNonNull(this.launcher, "No launcher in use").reloadSucceeded();
	}

	/**
	 * Slots without a worker whose restart time has come, lowest first, as many as may
	 * start now: together with the workers starting already (a replacement's too), no
	 * more than the start concurrency.
	 */
	List<Slot> emptySlotsDue(long now) {
		return this.slots.stream()
			.filter((slot) -> slot.isEmpty() && !slot.failed && now - slot.restartAt >= 0)
			.limit(Math.max(0, this.startConcurrency - starting()))
			.toList();
	}

	/**
	 * Nanoseconds until the next empty slot is to be filled; with no start free, the next
	 * worker ready or dead frees one (an event, which needs no deadline).
	 */
	long nanosUntilNextStart(long now, long limit) {
		if (starting() >= this.startConcurrency) {
			return limit;
		}
		long next = limit;
		for (Slot slot : this.slots) {
			if (slot.isEmpty() && !slot.failed) {
				next = Math.min(next, slot.restartAt - now);
			}
		}
		return next;
	}

	/** The workers launched and not yet ready, but for those being stopped. */
	private long starting() {
		return this.workers.values()
			.stream()
			.filter((worker) -> worker.state() == WorkerState.STARTING && !worker.isKilled())
			.count();
	}

	/** Forks a worker for a slot, running the given generation of the code. */
	WorkerProcess launch(int id, int generation) throws IOException {
		WorkerHandle process = Objects.requireNonNull(this.launcher, "No launcher in use").launch(id, generation);
		WorkerProcess worker = new WorkerProcess(id, generation, process, this.supervision.lifetimeForNewWorker(),
				this.ticker);
		long pid = worker.pid();
		this.workers.put(pid, worker);
		process.onExit().thenAccept((exitValue) -> this.exits.accept(pid, exitValue));
		this.membership.started(worker);
		return worker;
	}

	/**
	 * Adds slots, or removes the highest-numbered ones, so that there are {@code size}.
	 * @return the slots removed; their workers are for the caller to stop
	 */
	List<Slot> resize(int size) {
		List<Slot> removed = new ArrayList<>();
		while (this.slots.size() < size) {
			this.slots.add(new Slot(this.slots.size() + 1, this.ticker.nanos()));
		}
		while (this.slots.size() > size) {
			removed.add(this.slots.remove(this.slots.size() - 1));
		}
		Objects.requireNonNull(this.launcher, "No launcher in use").workerCount(size);
		return removed;
	}

	/** Tells the front door which workers are ready, when that changed. */
	void publish(Rotation rotation) {
		List<Backend> ready = this.workers.values()
			.stream()
			.map(WorkerProcess::backend)
			.filter(Objects::nonNull)
			.sorted(Comparator.comparingInt(Backend::workerId))
			.toList();
		if (!ready.equals(this.routed)) {
			rotation.route(ready);
			this.routed = ready;
		}
	}

	/**
	 * Every worker process by slot, oldest first; a slot without one as EXITED or FAILED.
	 */
	List<ClusterStatus.Worker> status(int generation) {
		List<ClusterStatus.Worker> statuses = new ArrayList<>();
		for (Slot slot : this.slots) {
			List<WorkerProcess> processes = this.workers.values()
				.stream()
				.filter((worker) -> worker.id() == slot.id)
				.sorted(Comparator.comparingLong(WorkerProcess::startedAt))
				.toList();
			processes.forEach((worker) -> statuses.add(worker.status(slot.restarts, slot.lastExit)));
			if (processes.isEmpty()) {
				statuses.add(new ClusterStatus.Worker(slot.id, 0,
						(slot.failed ? WorkerState.FAILED : WorkerState.EXITED).name(), generation, null, Duration.ZERO,
						slot.restarts, 0, 0, 0, 0, 0, 0, slot.lastExit, Map.of(), null));
			}
		}
		return statuses;
	}

}
