/**
 * Messages between workers, routed by the primary: {@link ClusterTemplate} to send,
 * {@link ClusterListener} methods and {@link ClusterMessageEvent} listeners to receive.
 */
@NullMarked
package dev.bootcluster.messaging;

import org.jspecify.annotations.NullMarked;
