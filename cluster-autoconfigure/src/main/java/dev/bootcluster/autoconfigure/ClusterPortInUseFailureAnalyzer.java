package dev.bootcluster.autoconfigure;

import dev.bootcluster.frontdoor.PortInUseException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a public port the primary could not bind, in the words Boot uses for a web
 * server's port.
 */
class ClusterPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
		int port = cause.getPort().port();
		return new FailureAnalysis("The cluster could not start: port " + port + " was already in use.",
				"Identify and stop the process that's listening on port " + port
						+ " or configure this application to listen on another port.",
				cause);
	}

}
