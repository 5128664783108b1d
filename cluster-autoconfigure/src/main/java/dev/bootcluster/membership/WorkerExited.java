package dev.bootcluster.membership;

import org.jspecify.annotations.Nullable;

/**
 * A worker process ended.
 *
 * @param workerId its slot, 1 to the number of workers
 * @param pid its process id
 * @param exitCode its exit code (128 + N when signal N ended it)
 * @param signal the signal that ended it ({@code SIGKILL}, ...), or {@code null}
 */
public record WorkerExited(int workerId, long pid, int exitCode,
		@Nullable String signal) implements ClusterMembershipEvent {
}
