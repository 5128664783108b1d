package dev.bootcluster.primary;

/**
 * Whether workers start from a class-data archive the primary prepares once per
 * application version ({@code cluster.worker.class-data-sharing}).
 */
public enum ClassDataSharing {

	/**
	 * Prepare an AOT cache (JDK 25+) or a dynamic CDS archive where the launch allows.
	 */
	AUTO,

	/** Start every worker as the primary was started. */
	OFF

}
