package dev.bootcluster.primary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.bootcluster.channel.WorkerState;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Whether each worker is alive and within its time limits: heartbeats (a silent ready
 * worker is hung), the ready, drain and shutdown timeouts, memory and lifetime every
 * check interval, and the primary's own pauses, after which silence proves nothing.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Liveness {

	private static final Log logger = LogFactory.getLog(Liveness.class);

	private ClusterSettings settings;

	private Supervision supervision;

	/** When the workers' limits were last checked. */
	private long lastCheck;

	/**
	 * When the primary last resumed from a pause of its own: workers' silence before then
	 * proves nothing.
	 */
	private long resumedAt;

	/** When {@link #watch} last ran. */
	private long lastTurn;

	Liveness(ClusterSettings settings, long now) {
		this.settings = settings;
		this.supervision = settings.supervision();
		this.lastCheck = now;
		this.resumedAt = now;
		this.lastTurn = now;
	}

	/** New settings: its timeouts and limits from now on. */
	void use(ClusterSettings settings) {
		this.settings = settings;
		this.supervision = settings.supervision();
	}

	/**
	 * Looks at every worker once: kills those past their ready or shutdown timeout, marks
	 * for replacement those out of rotation for too long, and, while the cluster runs,
	 * stops the hung ones and checks memory and lifetime.
	 * @return the workers found hung, now out of rotation and stopping
	 */
	List<WorkerProcess> watch(long now, Collection<WorkerProcess> workers, boolean running) {
		List<WorkerProcess> hung = new ArrayList<>();
		if (running) {
			noticePause(now);
			boolean check = now - this.lastCheck >= this.supervision.checkInterval().toNanos();
			if (check) {
				this.lastCheck = now;
			}
			for (WorkerProcess worker : workers) {
				long silence = now - Math.max(worker.lastHeard(), this.resumedAt);
				if (worker.state() == WorkerState.READY && silence > this.supervision.heartbeatTimeout().toNanos()) {
					hung.add(worker);
				}
				else if (check && !worker.isStopping()) {
					worker.check(this.supervision.maxMemoryBytes());
				}
			}
		}
		for (WorkerProcess worker : workers) {
			if (!worker.isKilled()) {
				enforceTimeouts(worker, now, running);
			}
		}
		hung.forEach((worker) -> stopHung(worker, Duration.ofNanos(now - worker.lastHeard())));
		return hung;
	}

	private void enforceTimeouts(WorkerProcess worker, long now, boolean running) {
		if (worker.state() == WorkerState.STARTING
				&& now - worker.startedAt() > this.settings.readyTimeout().toNanos()) {
			logger.warn(worker + " did not become ready within " + Arbiter.format(this.settings.readyTimeout())
					+ " (cluster.worker.ready-timeout); killing it");
			worker.failed("not ready within " + Arbiter.format(this.settings.readyTimeout()));
			worker.kill();
		}
		else if (worker.state() == WorkerState.STOPPING && now - worker.stopDeadline() > 0) {
			logger.warn(worker + " did not stop within " + Arbiter.format(this.settings.shutdownTimeout())
					+ " (cluster.worker.shutdown-timeout); killing it");
			worker.kill();
		}
		else if (running && refusesTraffic(worker)
				&& now - worker.drainingSince() > this.settings.drainTimeout().toNanos()) {
			String limit = " for more than " + Arbiter.format(this.settings.drainTimeout())
					+ " (cluster.worker.drain-timeout)";
			logger.warn(worker + " has refused traffic" + limit + "; replacing it");
			worker.recycle("it has refused traffic" + limit);
		}
	}

	/**
	 * Out of rotation because its app refuses traffic, not retired nor marked for
	 * replacement yet.
	 */
	private static boolean refusesTraffic(WorkerProcess worker) {
		return worker.state() == WorkerState.DRAINING && worker.recycleReason() == null && !worker.isDrainingToStop();
	}

	/**
	 * The loop turns at least every heartbeat interval; a longer gap means the primary
	 * itself was stopped (SIGSTOP, a debugger, a starved host) and finds every worker
	 * silent. They get a fresh heartbeat timeout instead of being killed all at once.
	 */
	private void noticePause(long now) {
		long gap = now - this.lastTurn;
		this.lastTurn = now;
		if (gap > this.supervision.heartbeatInterval().plusSeconds(1).toNanos()) {
			this.resumedAt = now;
			logger.warn("The primary was paused for about " + Arbiter.format(Duration.ofNanos(gap))
					+ "; workers get a fresh heartbeat timeout");
		}
	}

	/**
	 * A worker that stopped sending heartbeats: a thread dump for the post-mortem, out of
	 * rotation, and a stop (SIGKILL after the shutdown timeout, as a hung JVM will not
	 * end by itself). The arbiter starts its replacement.
	 */
	private void stopHung(WorkerProcess worker, Duration silence) {
		logger.warn(worker + " sent no heartbeat for " + Arbiter.format(silence)
				+ " (cluster.worker.heartbeat-timeout is " + Arbiter.format(this.supervision.heartbeatTimeout())
				+ "): it is hung. Asked it for a thread dump (SIGQUIT; the dump goes to its output); replacing it");
		worker.requestThreadDump();
		worker.lose();
		worker.stop(this.settings.shutdownTimeout(), "hung");
	}

	/**
	 * Nanoseconds until the next time limit of any worker, or the next heartbeat or limit
	 * check.
	 */
	long nanosUntilNext(long now, Collection<WorkerProcess> workers, boolean running) {
		// Heartbeats and limits are checked at least this often; a later wake-up means a
		// pause.
		long next = Math.min(this.supervision.heartbeatInterval().toNanos(),
				this.lastCheck + this.supervision.checkInterval().toNanos() - now);
		for (WorkerProcess worker : workers) {
			if (worker.isKilled()) {
				continue;
			}
			if (worker.state() == WorkerState.STARTING) {
				next = Math.min(next, worker.startedAt() + this.settings.readyTimeout().toNanos() - now);
			}
			else if (worker.state() == WorkerState.STOPPING) {
				next = Math.min(next, worker.stopDeadline() - now);
			}
			else if (running && refusesTraffic(worker)) {
				next = Math.min(next, worker.drainingSince() + this.settings.drainTimeout().toNanos() + 1 - now);
			}
		}
		return next;
	}

}
