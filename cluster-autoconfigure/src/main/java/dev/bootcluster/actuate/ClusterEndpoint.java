package dev.bootcluster.actuate;

import java.util.function.Supplier;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Reply;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code /actuator/cluster}: every worker and its state ({@code GET}), a zero-downtime
 * rolling reload ({@code POST /actuator/cluster/reload}), the replacement of one worker
 * ({@code POST /actuator/cluster/workers/{id}/restart}) and the upgrade of the primary
 * itself ({@code POST /actuator/cluster/upgrade}, as SIGUSR2); scaling is
 * {@link ClusterScaleEndpoint}'s. It lives in the workers, behind the application's own
 * security; the answers come from the primary. Read-only unless the application opts in
 * ({@code management.endpoint.cluster.access=unrestricted}), like Boot's own
 * {@code shutdown}: a reload should never be one request away by default. A browser
 * ({@code Accept: text/html}) gets the live view, {@link ClusterPage}, at the same
 * address: one thing to expose and secure, and the address people already know.
 */
@WebEndpoint(id = "cluster", defaultAccess = Access.READ_ONLY)
public class ClusterEndpoint {

	private static final String RELOAD = "reload";

	private static final String UPGRADE = "upgrade";

	private final ClusterControl control;

	private final ClusterPage page;

	private final ClusterPageViewers viewers;

	public ClusterEndpoint(ClusterControl control, ClusterPage page, ClusterPageViewers viewers) {
		this.control = control;
		this.page = page;
		this.viewers = viewers;
	}

	/**
	 * The {@link ClusterStatus}, or a {@link ClusterOperationResponse} saying why not;
	 * the live view for a browser, which then asks for the JSON itself.
	 */
	@ReadOperation(producesFrom = ClusterFormat.class)
	public WebEndpointResponse<Object> cluster(ClusterFormat format, SecurityContext securityContext) {
		if (format == ClusterFormat.HTML) {
			return new WebEndpointResponse<>(this.page.render(this.viewers.viewer(securityContext)), format);
		}
		try {
			return new WebEndpointResponse<>(this.control.status(), format);
		}
		catch (ClusterControl.PrimaryUnreachableException ex) {
			return new WebEndpointResponse<>(ClusterOperationResponse.message(ex.getMessage()),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	/**
	 * {@code POST /actuator/cluster/reload} and {@code POST /actuator/cluster/upgrade}.
	 * Takes no body, so that a bare {@code curl -X POST} works; a scale request without a
	 * JSON body lands here too.
	 */
	@WriteOperation
	public WebEndpointResponse<ClusterOperationResponse> reload(@Selector String operation) {
		if (RELOAD.equals(operation)) {
			return reply(this.control::reload);
		}
		if (UPGRADE.equals(operation)) {
			return reply(this.control::upgrade);
		}
		if (ClusterScaleEndpoint.PATH.endsWith("/" + operation)) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "POST /actuator/" + ClusterScaleEndpoint.PATH
					+ " takes a JSON body such as {\"workers\": 3} (Content-Type: application/json), and needs the '"
					+ ClusterScaleEndpoint.ID + "' endpoint exposed and allowed (management.endpoint."
					+ ClusterScaleEndpoint.ID + ".access=unrestricted)");
		}
		return error(WebEndpointResponse.STATUS_NOT_FOUND,
				"No cluster operation '" + operation
						+ "': POST /actuator/cluster/reload, /actuator/cluster/upgrade, /actuator/cluster/scale, or "
						+ "/actuator/cluster/workers/{id}/restart");
	}

	@WriteOperation
	public WebEndpointResponse<ClusterOperationResponse> restart(@Selector String collection, @Selector String id,
			@Selector String operation) {
		if (!"workers".equals(collection) || !"restart".equals(operation)) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, "No cluster operation '" + collection + "/" + id + "/"
					+ operation + "': POST /actuator/cluster/workers/{id}/restart replaces one worker");
		}
		return reply(() -> this.control.restart(id));
	}

	/** The primary's answer as the endpoint's response; 503 when it does not answer. */
	static WebEndpointResponse<ClusterOperationResponse> reply(Supplier<Reply> request) {
		try {
			Reply reply = request.get();
			String message = (reply.outcome() == Reply.Outcome.ACCEPTED)
					? reply.message() + "; watch it with GET /actuator/cluster" : reply.message();
			return new WebEndpointResponse<>(new ClusterOperationResponse(reply.reloadId(), message),
					status(reply.outcome()));
		}
		catch (ClusterControl.PrimaryUnreachableException ex) {
			return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, ex.getMessage());
		}
	}

	private static int status(Reply.Outcome outcome) {
		return switch (outcome) {
			case ACCEPTED -> 202;
			case DONE -> WebEndpointResponse.STATUS_OK;
			case INVALID -> WebEndpointResponse.STATUS_BAD_REQUEST;
			case NO_SUCH_WORKER -> WebEndpointResponse.STATUS_NOT_FOUND;
			case BUSY -> 409;
			case UNAVAILABLE -> WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE;
		};
	}

	static WebEndpointResponse<ClusterOperationResponse> error(int status, @Nullable String message) {
		return new WebEndpointResponse<>(ClusterOperationResponse.message(message), status);
	}

}
