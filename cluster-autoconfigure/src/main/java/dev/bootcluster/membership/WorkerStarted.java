package dev.bootcluster.membership;

/**
 * The primary started a worker process (its application is booting).
 *
 * @param workerId its slot, 1 to the number of workers
 * @param pid its process id
 */
public record WorkerStarted(int workerId, long pid) implements ClusterMembershipEvent {
}
