/**
 * Coherent caches: Spring Cache's evictions, puts and clears in one worker evict the same
 * entries in every other ready worker, through the primary; reads stay local.
 */
@NullMarked
package dev.bootcluster.cache;

import org.jspecify.annotations.NullMarked;
