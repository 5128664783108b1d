package dev.bootcluster.actuate;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code POST /actuator/cluster/scale} with {@code {"workers": N}}: the cluster runs N
 * workers (400 with the allowed range outside 1 to {@code cluster.max-workers}). An
 * endpoint of its own, mapped under {@code cluster}, because an actuator operation with a
 * body accepts only JSON, and {@code POST /actuator/cluster/reload} must work without
 * one. Off unless the application opts in:
 * {@code management.endpoint.clusterscale.access=unrestricted}, and expose it as
 * {@value #ID}.
 */
@WebEndpoint(id = ClusterScaleEndpoint.ID, defaultAccess = Access.NONE)
public class ClusterScaleEndpoint {

	public static final String ID = "clusterscale";

	/** Where it is mapped, under the actuator's base path. */
	public static final String PATH = "cluster/scale";

	private final ClusterControl control;

	public ClusterScaleEndpoint(ClusterControl control) {
		this.control = control;
	}

	@WriteOperation
	public WebEndpointResponse<ClusterOperationResponse> scale(int workers) {
		return ClusterEndpoint.reply(() -> this.control.scale(workers));
	}

}
