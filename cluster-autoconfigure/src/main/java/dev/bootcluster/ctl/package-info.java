/**
 * {@code cluster.ctl}: the command line an operator runs on the cluster's host
 * ({@code java -jar app.jar --cluster.ctl=status}) to see and act on a running cluster
 * over its control socket, without HTTP.
 */
@NullMarked
package dev.bootcluster.ctl;

import org.jspecify.annotations.NullMarked;
