/**
 * Run-once jobs across a cluster's workers: {@link ClusterSingleton} on a
 * {@code @Scheduled} method and the leadership events. Public API.
 */
@NullMarked
package dev.bootcluster.scheduling;

import org.jspecify.annotations.NullMarked;
