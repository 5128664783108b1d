package dev.bootcluster.membership;

/**
 * A rolling reload (or the restart of one worker) started.
 *
 * @param reloadId its id, as the {@code cluster} endpoint shows it
 * @param trigger what asked for it
 */
public record ReloadStarted(String reloadId, String trigger) implements ClusterMembershipEvent {
}
