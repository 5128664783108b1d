package dev.bootcluster.worker;

import java.time.Duration;
import java.util.Optional;

import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link LockProvider} backed by the cluster's primary, so that
 * {@code @SchedulerLock} works across the workers of one host with no database: a lock is
 * a lease the primary grants to one worker for at most {@code lockAtMostFor}, kept after
 * {@link SimpleLock#unlock()} until {@code lockAtLeastFor} has passed. A lock whose
 * holder exits, is killed or hangs ends at once. Auto-configured in workers when ShedLock
 * is on the class path and the application has no {@code LockProvider} of its own.
 * <p>
 * Threads: any; each call asks the primary and waits for its answer.
 */
public final class ClusterLockProvider implements LockProvider {

	private final WorkerLeases leases;

	public ClusterLockProvider(WorkerLeases leases) {
		this.leases = leases;
	}

	@Override
	public Optional<SimpleLock> lock(LockConfiguration configuration) {
		if (!this.leases.tryLock(configuration.getName(), configuration.getLockAtMostFor())) {
			return Optional.empty();
		}
		return Optional.of(() -> this.leases.unlock(configuration.getName(),
				Duration.between(ClockProvider.now(), configuration.getLockAtLeastUntil())));
	}

}
