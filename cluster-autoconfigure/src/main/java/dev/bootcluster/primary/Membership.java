package dev.bootcluster.primary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.WorkerState;

/**
 * What happens to the cluster's workers and reloads, told to every ready worker (Node's
 * {@code cluster.on('online' | 'exit')}), where the application gets each as a Spring
 * event. What happened during a turn is told at its end, so each worker gets it in order,
 * once; the sends only queue, so a slow worker never holds the primary up. Workers never
 * answer it.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Membership {

	private final List<Message> happened = new ArrayList<>();

	void started(WorkerProcess worker) {
		happened("WORKER_STARTED", worker.id(), worker.pid());
	}

	void ready(WorkerProcess worker) {
		happened("WORKER_READY", worker.id(), worker.pid());
	}

	void exited(WorkerProcess worker, int exitValue) {
		String signal = ExitStatus.signal(exitValue);
		happened("WORKER_EXITED", worker.id(), worker.pid(), exitValue, (signal != null) ? signal : "");
	}

	void reloadStarted(RollingReload reload) {
		happened("RELOAD_STARTED", reload.id(), reload.trigger());
	}

	void reloadFinished(RollingReload reload) {
		happened("RELOAD_FINISHED", reload.id(), reload.state().name());
	}

	private void happened(Object... fields) {
		this.happened.add(Message.of(Message.Type.MEMBERSHIP, fields));
	}

	/** Tells every ready worker what has happened since the last time. */
	void tell(Collection<WorkerProcess> workers) {
		if (this.happened.isEmpty()) {
			return;
		}
		for (WorkerProcess worker : workers) {
			if (worker.state() == WorkerState.READY) {
				this.happened.forEach(worker::send);
			}
		}
		this.happened.clear();
	}

}
