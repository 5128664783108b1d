package dev.bootcluster.membership;

/**
 * Something that happened to the cluster's workers or reloads, as the primary saw it,
 * published as a Spring application event in every worker that was ready then (Node's
 * {@code cluster.on('online' | 'exit')}). A worker that starts later does not get what
 * happened before. Published on the cluster's event thread, in the order the primary saw
 * them.
 */
public sealed interface ClusterMembershipEvent
		permits WorkerStarted, WorkerReady, WorkerExited, ReloadStarted, ReloadFinished {

}
