package dev.bootcluster.channel;

import java.nio.file.Path;
import java.util.List;

/**
 * A running cluster as {@code cluster.ctl} finds it on this host: its private directory,
 * its primary's pid, and the main class of its application.
 */
public record ClusterRuntime(Path directory, long primaryPid, String application) {

	/** This user's clusters in the temporary directory whose primary is alive. */
	public static List<ClusterRuntime> running() {
		return running(Path.of(System.getProperty("java.io.tmpdir")));
	}

	/** This user's clusters in {@code root} whose primary is alive. */
	public static List<ClusterRuntime> running(Path root) {
		return RuntimeDirectory.running(root);
	}

}
