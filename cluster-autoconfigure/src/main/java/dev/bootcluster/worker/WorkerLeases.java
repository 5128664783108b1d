package dev.bootcluster.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.bootcluster.channel.Message;
import dev.bootcluster.scheduling.ClusterLeadershipGranted;
import dev.bootcluster.scheduling.ClusterLeadershipRevoked;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * This worker's side of the primary's leases: a run-once job's tick asks for its lease
 * (one question per tick) and runs only if this worker holds it; a ShedLock lock is a
 * lease with a time limit. It knows which leases this worker holds, to publish
 * {@link ClusterLeadershipGranted} and {@link ClusterLeadershipRevoked}, and which runs
 * are in progress, so that a lease the primary revokes is given back only once its run
 * has ended: two workers never run a job at once.
 * <p>
 * Threads: scheduler threads call {@link #startRun}, {@link #endRun}, {@link #tryLock}
 * and {@link #unlock}; the channel's reader calls {@link #revoked}. The few fields are
 * guarded by this object's lock, held only to update them (the question to the primary is
 * asked outside it).
 */
public final class WorkerLeases {

	private static final Log logger = LogFactory.getLog(WorkerLeases.class);

	private final BiFunction<Message.Type, Object[], CompletableFuture<Message>> ask;

	private final Consumer<Message> send;

	private final Consumer<Object> events;

	/** The leases without a time limit this worker holds, as far as it knows. */
	private final Set<String> held = new HashSet<>();

	/** Runs in progress, by lease name. */
	private final Map<String, Integer> running = new HashMap<>();

	/** Revoked leases to give back when their last run ends. */
	private final Set<String> releaseAfterRun = new HashSet<>();

	public WorkerLeases(WorkerAgent agent, ClusterEvents events) {
		this(agent::ask, agent::send, events::publish);
		agent.onPush(Message.Type.REVOKE, (message) -> revoked(message.field(0)));
	}

	WorkerLeases(BiFunction<Message.Type, Object[], CompletableFuture<Message>> ask, Consumer<Message> send,
			Consumer<Object> events) {
		this.ask = ask;
		this.send = send;
		this.events = events;
	}

	/**
	 * A tick of a run-once job: whether this worker holds {@code name} now, so that the
	 * run may go ahead. If so, the run must end with {@link #endRun}.
	 */
	public boolean startRun(String name) {
		// Counted before asking: a revocation that overtakes the answer waits for it.
		synchronized (this) {
			this.running.merge(name, 1, Integer::sum);
		}
		boolean granted = ask(name, Duration.ZERO);
		synchronized (this) {
			if (granted && this.held.add(name)) {
				this.events.accept(new ClusterLeadershipGranted(name));
			}
			else if (!granted && this.held.remove(name)) {
				this.events.accept(new ClusterLeadershipRevoked(name));
			}
		}
		if (!granted) {
			endRun(name);
		}
		return granted;
	}

	/** A run that {@link #startRun} allowed has ended. */
	public synchronized void endRun(String name) {
		if (this.running.merge(name, -1, Integer::sum) <= 0) {
			this.running.remove(name);
			if (this.releaseAfterRun.remove(name)) {
				release(name, Duration.ZERO);
			}
		}
	}

	/**
	 * The primary takes {@code name} back (this worker leaves the rotation): given back
	 * once no run of it is in progress.
	 */
	synchronized void revoked(String name) {
		if (this.held.remove(name)) {
			this.events.accept(new ClusterLeadershipRevoked(name));
		}
		if (this.running.containsKey(name)) {
			this.releaseAfterRun.add(name);
		}
		else {
			release(name, Duration.ZERO);
		}
	}

	/**
	 * Takes {@code name} for at most {@code atMostFor}, if no worker holds it.
	 * @return whether this worker holds it now
	 */
	public boolean tryLock(String name, Duration atMostFor) {
		// Zero would mean "while alive": a lock always has a time limit.
		return ask(name, atMostFor.isZero() ? Duration.ofMillis(1) : atMostFor);
	}

	/**
	 * Gives {@code name} back; no worker may take it for {@code keep} (ShedLock's
	 * lockAtLeastFor).
	 */
	public void unlock(String name, Duration keep) {
		release(name, keep.isNegative() ? Duration.ZERO : keep);
	}

	private void release(String name, Duration keep) {
		this.send.accept(Message.of(Message.Type.RELEASE, name, keep.toMillis()));
	}

	/** Asks the primary; no answer in time is a refusal: the tick is skipped. */
	private boolean ask(String name, Duration limit) {
		try {
			Message answer = this.ask.apply(Message.Type.LEASE, new Object[] { name, limit.toMillis() }).join();
			return Boolean.parseBoolean(answer.field(1));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not ask the primary for lease '" + name + "' (" + ex.getMessage()
					+ "); this worker skips the run");
			return false;
		}
	}

}
