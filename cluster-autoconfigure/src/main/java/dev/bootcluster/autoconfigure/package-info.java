/**
 * Auto-configuration of a cluster: its properties, its role in this JVM and the beans of
 * each role.
 */
@NullMarked
package dev.bootcluster.autoconfigure;

import org.jspecify.annotations.NullMarked;
