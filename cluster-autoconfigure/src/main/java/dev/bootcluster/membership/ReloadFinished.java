package dev.bootcluster.membership;

/**
 * A rolling reload ended.
 *
 * @param reloadId its id, as the {@code cluster} endpoint shows it
 * @param succeeded whether it replaced every worker; if not, the workers not yet replaced
 * serve on
 */
public record ReloadFinished(String reloadId, boolean succeeded) implements ClusterMembershipEvent {
}
