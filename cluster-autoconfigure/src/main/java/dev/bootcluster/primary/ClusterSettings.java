package dev.bootcluster.primary;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bootcluster.frontdoor.InternalHop;
import dev.bootcluster.frontdoor.SchedulingPolicy;

/**
 * What the primary runs with: plain, validated settings ('auto' resolved), so that the
 * primary never sees a bad value or a property. {@code startConcurrency} is how many
 * workers may be starting (launched, not yet ready) at once; {@code servingNice} how much
 * nicer a worker runs once it serves. {@code ClusterSettingsBinder}, in
 * {@code autoconfigure}, makes them from the {@code cluster.*} properties.
 */
public record ClusterSettings(int workers, SchedulingPolicy policy, List<String> workerJvmArgs, boolean logPrefix,
		Duration readyTimeout, Duration shutdownTimeout, Duration drainTimeout, Backoff backoff, Duration queueTimeout,
		Duration idleTimeout, InternalHop internalHop, int maxWorkers, Supervision supervision, int maxConnections,
		int maxHeaderSize, long sessionsMaxMemory, ClassDataSharing classDataSharing, Path cacheDirectory,
		int startConcurrency, boolean shareArchivePages, int servingNice) {

}
