package dev.bootcluster.sample;

import dev.bootcluster.messaging.ClusterEvent;

/**
 * An event for every worker: published in one, published once in each of the others.
 *
 * @param text what is announced
 */
@ClusterEvent
public record Announcement(String text) {
}
