package dev.bootcluster.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@code cluster.*} or server property the cluster cannot run with: the
 * property, its value and what is allowed.
 */
class InvalidClusterPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidClusterPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidClusterPropertyException cause) {
		return new FailureAnalysis(
				"Invalid value '" + cause.getValue() + "' for property '" + cause.getProperty() + "'.",
				"Set '" + cause.getProperty() + "' to " + cause.getAllowed() + ".", cause);
	}

}
