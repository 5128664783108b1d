package dev.bootcluster.primary;

import dev.bootcluster.autoconfigure.InvalidClusterPropertyException;
import dev.bootcluster.frontdoor.PortInUseException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reports why the cluster could not start, in the shape of Spring Boot's failure
 * analysis, so it reads like the report a single process would have printed.
 */
final class StartupFailure {

	private static final Log logger = LogFactory.getLog(StartupFailure.class);

	private StartupFailure() {
	}

	static void report(InvalidClusterPropertyException ex) {
		report("Invalid value '" + ex.getValue() + "' for property '" + ex.getProperty() + "'.",
				"Set '" + ex.getProperty() + "' to " + ex.getAllowed() + ".");
	}

	static void report(PortInUseException ex) {
		int port = ex.getPort().port();
		String cause = (ex.getCause() != null) ? " (" + ex.getCause().getMessage() + ")" : "";
		report("The cluster could not start: port " + port + " was already in use" + cause + ".",
				"Identify and stop the process that's listening on port " + port
						+ " or configure this application to listen on another port.");
	}

	private static void report(String description, String action) {
		logger.error(String.format("%n%n***************************%nAPPLICATION FAILED TO START%n"
				+ "***************************%n%nDescription:%n%n%s%n%nAction:%n%n%s%n", description, action));
	}

}
