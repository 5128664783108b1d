/**
 * Actuator endpoints, health and metrics of a cluster, as a worker serves them.
 */
@NullMarked
package dev.bootcluster.actuate;

import org.jspecify.annotations.NullMarked;
