package dev.bootcluster.actuate;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.WorkerState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code cluster} health component: UP while at least
 * {@code cluster.min-ready-workers} workers are ready; its details count the ready
 * workers and the FAILED slots (crash loops, workers that cannot boot).
 */
public class ClusterHealthIndicator implements HealthIndicator {

	private final ClusterControl control;

	private final int minReadyWorkers;

	public ClusterHealthIndicator(ClusterControl control, int minReadyWorkers) {
		this.control = control;
		this.minReadyWorkers = minReadyWorkers;
	}

	@Override
	public Health health() {
		try {
			ClusterStatus status = this.control.status();
			long ready = status.count(WorkerState.READY);
			Health.Builder health = (ready >= this.minReadyWorkers) ? Health.up() : Health.down();
			health.withDetail("ready", ready)
				.withDetail("minReady", this.minReadyWorkers)
				.withDetail("desired", status.desiredWorkers())
				.withDetail("failed", status.count(WorkerState.FAILED));
			if (status.reload() != null) {
				health.withDetail("reload",
						status.reload().id() + " " + status.reload().state() + " (" + status.reload().progress() + ")");
			}
			return health.build();
		}
		catch (ClusterControl.PrimaryUnreachableException ex) {
			return Health.down(ex).build();
		}
	}

}
