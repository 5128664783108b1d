package dev.bootcluster.primary;

import java.util.List;
import java.util.Map;

import dev.bootcluster.frontdoor.PublicPort;

/**
 * Reads the properties a new version's worker reports (its
 * {@link dev.bootcluster.channel.Message.Type#SETTINGS}) exactly as the primary read its
 * own at start: {@code ClusterSettingsBinder} and {@code PublicPorts}, in
 * {@code autoconfigure}, make one.
 * <p>
 * Threads: the arbiter thread.
 */
@FunctionalInterface
public interface SettingsReader {

	/**
	 * Binds and validates {@code properties} (names as written, such as
	 * {@code cluster.worker.max-requests}).
	 * @throws RuntimeException whose message names the first property that is wrong and
	 * the values allowed
	 */
	Reported read(Map<String, String> properties);

	/** A version's settings, and the public ports it asks for. */
	record Reported(ClusterSettings settings, List<PublicPort> ports) {

	}

}
