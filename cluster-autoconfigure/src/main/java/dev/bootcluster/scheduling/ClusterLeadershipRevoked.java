package dev.bootcluster.scheduling;

/**
 * This worker no longer holds the lease of a {@link ClusterSingleton} job: it is leaving
 * the rotation, or the primary gave the lease to another worker while this one was
 * silent. Published in the worker, on the cluster's event thread.
 *
 * @param lease the lease's name
 */
public record ClusterLeadershipRevoked(String lease) {
}
