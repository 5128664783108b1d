/**
 * The control channel between the primary and its workers: messages, replies and the
 * state they carry.
 */
@NullMarked
package dev.bootcluster.channel;

import org.jspecify.annotations.NullMarked;
