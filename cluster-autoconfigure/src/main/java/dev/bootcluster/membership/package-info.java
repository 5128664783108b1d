/**
 * The cluster's lifecycle as Spring application events in each ready worker: workers
 * started, ready and exited, reloads started and finished. Public API.
 */
@NullMarked
package dev.bootcluster.membership;

import org.jspecify.annotations.NullMarked;
