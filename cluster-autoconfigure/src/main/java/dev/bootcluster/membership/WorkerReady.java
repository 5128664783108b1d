package dev.bootcluster.membership;

/**
 * A worker's application is ready and the worker is in rotation, for the first time.
 *
 * @param workerId its slot, 1 to the number of workers
 * @param pid its process id
 */
public record WorkerReady(int workerId, long pid) implements ClusterMembershipEvent {
}
