package dev.bootcluster.primary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;

import org.jspecify.annotations.Nullable;

/**
 * What a new version's settings change, compared with those the primary runs with: the
 * ones it applies while it runs (worker count, timeouts, restart policy, recycling,
 * heartbeats, log prefix, JVM arguments, class-data sharing, start concurrency and
 * archive page sharing), and the ones only a restart of the primary applies (what the
 * front door, the internal hop, the session store and the boot cache's directory were
 * built with, and the public ports), which keep their running value.
 */
final class SettingsChange {

	/** What the primary applies while it runs. */
	private static final List<Setting> LIVE = List.of(new Setting("cluster.workers", ClusterSettings::workers),
			new Setting("cluster.max-workers", ClusterSettings::maxWorkers),
			new Setting("cluster.worker.jvm-args", (settings) -> String.join(" ", settings.workerJvmArgs())),
			new Setting("cluster.worker.log-prefix", ClusterSettings::logPrefix),
			new Setting("cluster.worker.class-data-sharing",
					(settings) -> settings.classDataSharing().name().toLowerCase(Locale.ROOT)),
			new Setting("cluster.worker.start-concurrency", ClusterSettings::startConcurrency),
			new Setting("cluster.worker.share-archive-pages", ClusterSettings::shareArchivePages),
			new Setting("cluster.worker.serving-nice", ClusterSettings::servingNice),
			new Setting("cluster.worker.ready-timeout", ClusterSettings::readyTimeout),
			new Setting("cluster.worker.shutdown-timeout", ClusterSettings::shutdownTimeout),
			new Setting("cluster.worker.drain-timeout", ClusterSettings::drainTimeout),
			new Setting("cluster.restart.initial-delay", (settings) -> settings.backoff().initialDelay()),
			new Setting("cluster.restart.max-delay", (settings) -> settings.backoff().maxDelay()),
			new Setting("cluster.restart.reset-after", (settings) -> settings.backoff().resetAfter()),
			new Setting("cluster.restart.max-restarts", (settings) -> settings.supervision().maxRestarts()),
			new Setting("cluster.restart.window", (settings) -> settings.supervision().restartWindow()),
			new Setting("cluster.worker.heartbeat-interval", (settings) -> settings.supervision().heartbeatInterval()),
			new Setting("cluster.worker.heartbeat-timeout", (settings) -> settings.supervision().heartbeatTimeout()),
			new Setting("cluster.worker.max-memory", (settings) -> settings.supervision().maxMemoryBytes()),
			new Setting("cluster.worker.check-interval", (settings) -> settings.supervision().checkInterval()),
			new Setting("cluster.worker.max-requests", (settings) -> settings.supervision().maxRequests()),
			new Setting("cluster.worker.max-requests-jitter", (settings) -> settings.supervision().maxRequestsJitter()),
			new Setting("cluster.worker.max-lifetime", (settings) -> settings.supervision().maxLifetime()));

	/** What only a restart of the primary applies. */
	private static final List<Setting> AT_START = List.of(
			new Setting("cluster.scheduling-policy", (settings) -> settings.policy().value()),
			new Setting("cluster.front-door.internal-hop", ClusterSettings::internalHop),
			new Setting("cluster.front-door.queue-timeout", ClusterSettings::queueTimeout),
			new Setting("cluster.front-door.idle-timeout", ClusterSettings::idleTimeout),
			new Setting("cluster.front-door.max-connections", ClusterSettings::maxConnections),
			new Setting("cluster.front-door.max-header-size", ClusterSettings::maxHeaderSize),
			new Setting("cluster.sessions.max-memory", ClusterSettings::sessionsMaxMemory),
			new Setting("cluster.worker.cache-dir", ClusterSettings::cacheDirectory));

	private final ClusterSettings applied;

	private final List<String> changes = new ArrayList<>();

	private final List<String> restartPending = new ArrayList<>();

	private SettingsChange(ClusterSettings running, List<PublicPort> runningPorts, SettingsReader.Reported reported) {
		ClusterSettings next = reported.settings();
		for (Setting setting : LIVE) {
			if (!Objects.equals(setting.value.apply(running), setting.value.apply(next))) {
				this.changes.add(setting.name + " " + setting.display(running) + " -> " + setting.display(next));
			}
		}
		for (Setting setting : AT_START) {
			if (!Objects.equals(setting.value.apply(running), setting.value.apply(next))) {
				this.restartPending.add(setting.name);
			}
		}
		this.restartPending.addAll(changedPorts(runningPorts, reported.ports()));
		this.applied = new ClusterSettings(next.workers(), running.policy(), next.workerJvmArgs(), next.logPrefix(),
				next.readyTimeout(), next.shutdownTimeout(), next.drainTimeout(), next.backoff(),
				running.queueTimeout(), running.idleTimeout(), running.internalHop(), next.maxWorkers(),
				next.supervision(), running.maxConnections(), running.maxHeaderSize(), running.sessionsMaxMemory(),
				next.classDataSharing(), running.cacheDirectory(), next.startConcurrency(), next.shareArchivePages(),
				next.servingNice());
	}

	/** Compares a new version's settings and ports with the running ones. */
	static SettingsChange between(ClusterSettings running, List<PublicPort> runningPorts,
			SettingsReader.Reported reported) {
		return new SettingsChange(running, runningPorts, reported);
	}

	/**
	 * The settings to run with from now on: the new version's, but for those only a
	 * restart applies.
	 */
	ClusterSettings applied() {
		return this.applied;
	}

	/** Each setting applied now, as {@code name old -> new}. */
	List<String> changes() {
		return this.changes;
	}

	/** The properties whose new value only a restart of the primary applies. */
	List<String> restartPending() {
		return this.restartPending;
	}

	private static List<String> changedPorts(List<PublicPort> running, List<PublicPort> next) {
		List<String> changed = new ArrayList<>();
		compare(port(running, PortKind.SERVER), port(next, PortKind.SERVER), "server", changed);
		compare(port(running, PortKind.MANAGEMENT), port(next, PortKind.MANAGEMENT), "management.server", changed);
		if (!extraPorts(running).equals(extraPorts(next))) {
			changed.add("cluster.front-door.extra-ports");
		}
		return changed;
	}

	private static void compare(@Nullable PublicPort running, @Nullable PublicPort next, String prefix,
			List<String> changed) {
		if (running == null || next == null) {
			if (running != next) {
				changed.add(prefix + ".port");
			}
			return;
		}
		if (running.port() != next.port()) {
			changed.add(prefix + ".port");
		}
		if (!Objects.equals(running.address(), next.address())) {
			changed.add(prefix + ".address");
		}
	}

	private static @Nullable PublicPort port(List<PublicPort> ports, PortKind kind) {
		return ports.stream().filter((port) -> port.kind().equals(kind)).findFirst().orElse(null);
	}

	private static List<PublicPort> extraPorts(List<PublicPort> ports) {
		return ports.stream().filter((port) -> !port.kind().http()).toList();
	}

	/** One property, and how to find its value in the settings. */
	private record Setting(String name, Function<ClusterSettings, @Nullable Object> value) {

		String display(ClusterSettings settings) {
			Object value = this.value.apply(settings);
			if (value instanceof Duration duration) {
				return Arbiter.format(duration);
			}
			return (value != null) ? "'" + value + "'" : "none";
		}

	}

}
