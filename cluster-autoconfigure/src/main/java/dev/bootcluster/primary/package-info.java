/**
 * The primary JVM: it forks, supervises, reloads and replaces workers.
 */
@NullMarked
package dev.bootcluster.primary;

import org.jspecify.annotations.NullMarked;
