package dev.bootcluster.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

import dev.bootcluster.channel.ClusterStatus;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterStatus} as {@code pm2 ls} shows its processes: a line about the
 * cluster, then one row per worker (id, pid, state, uptime since ready, restarts, cpu,
 * resident memory, open connections, requests, starter version), then the current or last
 * reload. The cpu column is what {@code ps} shows: the worker's cpu time over its
 * lifetime, read from the OS here.
 * <p>
 * Threads: none of its own; stateless.
 */
final class StatusTable {

	private static final String[] HEADER = { "id", "pid", "state", "uptime", "restarts", "cpu", "mem", "conns",
			"requests", "version" };

	private StatusTable() {
	}

	static String of(ClusterStatus status) {
		return of(status, StatusTable::cpuPercent);
	}

	/** The table, with each worker's cpu share (percent, or null) from {@code cpu}. */
	static String of(ClusterStatus status, LongFunction<@Nullable Double> cpu) {
		StringBuilder text = new StringBuilder();
		long ready = status.workers().stream().filter((worker) -> worker.state().equals("READY")).count();
		text.append("Cluster primary pid ")
			.append(status.primaryPid())
			.append(", up ")
			.append(uptime(status.uptime()))
			.append(", ports ")
			.append(status.ports())
			.append(", ")
			.append(status.schedulingPolicy())
			.append(": ")
			.append(ready)
			.append(" of ")
			.append(status.desiredWorkers())
			.append(" worker(s) ready, Boot Cluster ")
			.append(version(status.starterVersion()))
			.append(status.versionSkew() ? " (version skew: workers run another version; upgrade the primary)" : "")
			.append('\n');
		List<String[]> rows = new ArrayList<>();
		rows.add(HEADER);
		for (ClusterStatus.Worker worker : status.workers()) {
			Double share = (worker.pid() > 0) ? cpu.apply(worker.pid()) : null;
			rows.add(new String[] { Integer.toString(worker.id()),
					(worker.pid() > 0) ? Long.toString(worker.pid()) : "-", worker.state(),
					worker.state().equals("READY") ? uptime(worker.uptime()) : "-", Integer.toString(worker.restarts()),
					(share != null) ? String.format(Locale.ROOT, "%.0f%%", share) : "-",
					(worker.residentMemory() > 0) ? megabytes(worker.residentMemory()) : "-",
					Integer.toString(worker.activeConnections()), Long.toString(worker.requests()),
					version(worker.starterVersion()) });
		}
		int[] widths = new int[HEADER.length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
				line.append((i < row.length - 1) ? "  " : "");
			}
			text.append(line.toString().stripTrailing()).append('\n');
		}
		ClusterStatus.Reload reload = status.reload();
		if (reload != null) {
			text.append(reload.id())
				.append(" (")
				.append(reload.trigger())
				.append("): ")
				.append(reload.state())
				.append(", ")
				.append(reload.progress())
				.append((reload.failure() != null) ? ": " + reload.failure() : "")
				.append('\n');
		}
		return text.toString().stripTrailing();
	}

	static String uptime(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m " + (seconds % 60) + "s";
		}
		if (seconds < 86_400) {
			return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
		}
		return (seconds / 86_400) + "d " + (seconds % 86_400 / 3600) + "h";
	}

	private static String version(@Nullable String version) {
		return (version != null) ? version : "-";
	}

	private static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

	/**
	 * The process's cpu time over its lifetime, in percent of one core, as ps shows it.
	 */
	private static @Nullable Double cpuPercent(long pid) {
		ProcessHandle.Info info = ProcessHandle.of(pid).map(ProcessHandle::info).orElse(null);
		if (info == null || info.totalCpuDuration().isEmpty() || info.startInstant().isEmpty()) {
			return null;
		}
		long lifetime = Duration.between(info.startInstant().get(), Instant.now()).toMillis();
		return (lifetime > 0) ? 100.0 * info.totalCpuDuration().get().toMillis() / lifetime : null;
	}

}
