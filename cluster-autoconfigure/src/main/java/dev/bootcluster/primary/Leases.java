package dev.bootcluster.primary;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.WorkerState;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's leases, by name: each held by one worker at a time, so that a run-once
 * job runs in one worker and a ShedLock lock needs no database. A lease without a time
 * limit (a run-once job's) is its holder's while it is alive and ready: it goes at once
 * when the holder exits, is killed or hangs, and when the holder leaves the rotation
 * (recycle, reload, scale-down, stop) the holder is asked to give it back once its
 * current run has ended. A lease with a time limit (a ShedLock lock) also ends when that
 * limit passes, and may stay taken by nobody for a while after it is released
 * (lockAtLeastFor). Only a ready worker is granted a lease.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Leases {

	private static final Log logger = LogFactory.getLog(Leases.class);

	private final Map<String, Lease> leases = new HashMap<>();

	/**
	 * Grants {@code name} to {@code worker}, or keeps it for the worker that holds it.
	 * @param limit how long it may hold it; zero: while it is alive and ready
	 * @return whether {@code worker} holds it now
	 */
	boolean acquire(WorkerProcess worker, String name, Duration limit, long now) {
		Lease lease = this.leases.get(name);
		if (worker.state() != WorkerState.READY || (lease != null && !lease.isFreeFor(worker, now))) {
			return false;
		}
		boolean whileAlive = limit.isZero();
		if (whileAlive && (lease == null || lease.holder != worker)) {
			logger.info(worker + " holds lease '" + name + "' (run-once jobs of that name run there)");
		}
		this.leases.put(name, new Lease(worker, whileAlive, whileAlive ? 0 : now + limit.toNanos(), false));
		return true;
	}

	/** The id of the worker that holds {@code name} now, or 0 if none does. */
	int holderId(String name, long now) {
		Lease lease = this.leases.get(name);
		return (lease != null && lease.holder != null && !lease.hasExpired(now)) ? lease.holder.id() : 0;
	}

	/**
	 * Its holder gives {@code name} back; it stays taken by nobody for {@code keep}
	 * (ShedLock's lockAtLeastFor). A release by another worker is ignored.
	 */
	void release(WorkerProcess worker, String name, Duration keep, long now) {
		Lease lease = this.leases.get(name);
		if (lease == null || lease.holder != worker) {
			return;
		}
		if (keep.isZero()) {
			this.leases.remove(name);
		}
		else {
			this.leases.put(name, new Lease(null, false, now + keep.toNanos(), false));
		}
		if (lease.whileAlive) {
			logger.info(worker + " gave lease '" + name + "' back");
		}
	}

	/** A hung worker loses every lease at once: another worker takes them over. */
	void hung(WorkerProcess worker) {
		this.leases.entrySet().removeIf((entry) -> {
			boolean held = entry.getValue().holder == worker;
			if (held) {
				logger.info(worker + " lost lease '" + entry.getKey() + "' (it is hung)");
			}
			return held;
		});
	}

	/**
	 * Ends each lease whose holder has exited or was killed, and whose time is up; asks a
	 * holder that left the rotation to give its leases without a time limit back.
	 */
	void review(WorkerTable table, long now) {
		for (Iterator<Map.Entry<String, Lease>> entries = this.leases.entrySet().iterator(); entries.hasNext();) {
			Map.Entry<String, Lease> entry = entries.next();
			Lease lease = entry.getValue();
			WorkerProcess holder = lease.holder;
			if (lease.hasExpired(now)) {
				entries.remove();
			}
			else if (holder != null && (table.worker(holder.pid()) != holder || holder.isKilled())) {
				logger.info(holder + " lost lease '" + entry.getKey() + "' (it is gone)");
				entries.remove();
			}
			else if (holder != null && lease.whileAlive && !lease.revoking && holder.state() != WorkerState.READY) {
				holder.send(Message.of(Message.Type.REVOKE, entry.getKey()));
				entry.setValue(new Lease(holder, true, 0, true));
			}
		}
	}

	/**
	 * One lease.
	 *
	 * @param holder the worker that holds it, or {@code null} while it is kept for nobody
	 * @param whileAlive held while the holder is alive and ready, not for a time
	 * @param until when it ends, unless {@code whileAlive}
	 * @param revoking its holder was asked to give it back
	 */
	private record Lease(@Nullable WorkerProcess holder, boolean whileAlive, long until, boolean revoking) {

		boolean hasExpired(long now) {
			return !this.whileAlive && now - this.until >= 0;
		}

		/**
		 * Whether {@code worker} may have it: it has expired, or it is {@code worker}'s
		 * own to keep.
		 */
		boolean isFreeFor(WorkerProcess worker, long now) {
			return hasExpired(now) || (this.whileAlive && this.holder == worker && !this.revoking);
		}

	}

}
