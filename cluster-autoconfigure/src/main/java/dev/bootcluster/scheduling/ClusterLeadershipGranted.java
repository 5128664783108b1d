package dev.bootcluster.scheduling;

/**
 * This worker now holds the lease of a {@link ClusterSingleton} job: until a
 * {@link ClusterLeadershipRevoked} of the same name, its ticks run here and nowhere else.
 * Published in the worker, on the cluster's event thread.
 *
 * @param lease the lease's name
 */
public record ClusterLeadershipGranted(String lease) {
}
