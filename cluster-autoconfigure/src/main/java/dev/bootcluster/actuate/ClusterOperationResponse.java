package dev.bootcluster.actuate;

/**
 * What a cluster operation answers, serialised by actuator: the id of the reload it
 * started or found running ({@code null}, so absent, otherwise) and a message for a
 * person. Also the body of an error, such as a primary that does not answer.
 */
public record ClusterOperationResponse(String reload, String message) {

	static ClusterOperationResponse message(String message) {
		return new ClusterOperationResponse(null, message);
	}

}
