/**
 * Run-once jobs across a cluster's workers: {@link ClusterSingleton} on a
 * {@code @Scheduled} method, the leadership events, and a ShedLock {@code LockProvider}
 * backed by the primary. Public API.
 */
@NullMarked
package dev.bootcluster.scheduling;

import org.jspecify.annotations.NullMarked;
