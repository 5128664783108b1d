package dev.bootcluster.actuate;

import org.jspecify.annotations.Nullable;

/**
 * What a cluster operation answers, serialised by actuator: the id of the reload it
 * started or found running ({@code null}, so absent, otherwise) and a message for a
 * person. Also the body of an error, such as a primary that does not answer.
 */
public record ClusterOperationResponse(@Nullable String reload, @Nullable String message) {

	static ClusterOperationResponse message(@Nullable String message) {
		return new ClusterOperationResponse(null, message);
	}

}
