/**
 * A worker JVM: its agent on the control channel and the server parts that take relayed
 * connections.
 */
@NullMarked
package dev.bootcluster.worker;

import org.jspecify.annotations.NullMarked;
