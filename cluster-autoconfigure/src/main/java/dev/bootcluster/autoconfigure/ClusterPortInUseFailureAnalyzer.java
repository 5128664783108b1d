package dev.bootcluster.autoconfigure;

import java.net.BindException;

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
		// A plain bind failure says nothing more; another cluster's lock names its
		// holder.
		String why = (cause.getCause() != null && !(cause.getCause() instanceof BindException))
				? " (" + cause.getCause().getMessage() + ")" : "";
		return new FailureAnalysis("The cluster could not start: port " + port + " was already in use" + why + ".",
				"Identify and stop the process that's listening on port " + port
						+ " or configure this application to listen on another port.",
				cause);
	}

}
