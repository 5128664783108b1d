/**
 * The front door: public ports the primary owns, and the relay of connections to workers.
 */
@NullMarked
package dev.bootcluster.frontdoor;

import org.jspecify.annotations.NullMarked;
