package dev.bootcluster.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

class ClusterEndpointTests {

	private final ClusterControl control = mock(ClusterControl.class);

	private final ClusterEndpoint endpoint = new ClusterEndpoint(this.control, new ClusterPage(false, false),
			ClusterPageViewers.ANYONE);

	@Test
	void reloadAnswersWithThePrimarysStatusAndReloadId() {
		given(this.control.reload())
			.willReturn(new Reply(Reply.Outcome.ACCEPTED, "reload-1", "Replacing 2 worker(s) one at a time"));
		WebEndpointResponse<ClusterOperationResponse> response = this.endpoint.reload("reload");
		assertThat(response.getStatus()).isEqualTo(202);
		assertThat(response.getBody()).isEqualTo(new ClusterOperationResponse("reload-1",
				"Replacing 2 worker(s) one at a time; watch it with GET /actuator/cluster"));
	}

	@Test
	void upgradeAsksThePrimaryAndAnUpgradeUnderWayIs409() {
		given(this.control.upgrade()).willReturn(
				new Reply(Reply.Outcome.ACCEPTED, null, "Upgrading the primary: started a new one, pid 42"),
				new Reply(Reply.Outcome.BUSY, null, "An upgrade is under way"));
		WebEndpointResponse<ClusterOperationResponse> response = this.endpoint.reload("upgrade");
		assertThat(response.getStatus()).isEqualTo(202);
		assertThat(response.getBody()).isEqualTo(new ClusterOperationResponse(null,
				"Upgrading the primary: started a new one, pid 42; watch it with GET /actuator/cluster"));
		assertThat(this.endpoint.reload("upgrade").getStatus()).isEqualTo(409);
		then(this.control).should(never()).reload();
	}

	@Test
	void unknownOperationsAre404WithoutAskingThePrimary() {
		assertThat(this.endpoint.reload("explode").getStatus()).isEqualTo(404);
		assertThat(this.endpoint.restart("workers", "1", "explode").getStatus()).isEqualTo(404);
		assertThat(this.endpoint.restart("things", "1", "restart").getStatus()).isEqualTo(404);
		then(this.control).should(never()).reload();
		then(this.control).should(never()).upgrade();
	}

	@Test
	void scaleAnswersWithThePrimarysReplyAndAScaleWithoutJsonIsExplained() {
		given(this.control.scale(99)).willReturn(new Reply(Reply.Outcome.INVALID, null, "choose from 1 to 8"));
		WebEndpointResponse<ClusterOperationResponse> response = new ClusterScaleEndpoint(this.control).scale(99);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).isEqualTo(new ClusterOperationResponse(null, "choose from 1 to 8"));
		WebEndpointResponse<ClusterOperationResponse> withoutBody = this.endpoint.reload("scale");
		assertThat(withoutBody.getStatus()).isEqualTo(400);
		assertThat(withoutBody.getBody().message()).contains("{\"workers\": 3}")
			.contains("'clusterscale'")
			.contains("management.endpoint.clusterscale.access=unrestricted");
	}

	@ParameterizedTest
	@CsvSource({ "ACCEPTED, 202", "DONE, 200", "INVALID, 400", "NO_SUCH_WORKER, 404", "BUSY, 409", "UNAVAILABLE, 503" })
	void everyOutcomeHasItsHttpStatus(Reply.Outcome outcome, int status) {
		given(this.control.restart("1")).willReturn(new Reply(outcome, null, "as the primary says"));
		assertThat(this.endpoint.restart("workers", "1", "restart").getStatus()).isEqualTo(status);
	}

	@Test
	void aBrowserGetsTheLiveViewWithoutAskingThePrimary() {
		WebEndpointResponse<Object> response = this.endpoint.cluster(ClusterFormat.HTML, SecurityContext.NONE);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).hasToString("text/html;charset=UTF-8");
		assertThat(response.getBody().toString()).startsWith("<!DOCTYPE html>");
		then(this.control).should(never()).status();
	}

	@Test
	void aSilentPrimaryIs503() {
		given(this.control.status()).willThrow(new ClusterControl.PrimaryUnreachableException(new TimeoutException()));
		WebEndpointResponse<Object> response = this.endpoint.cluster(ClusterFormat.ACTUATOR_JSON, SecurityContext.NONE);
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getBody().toString()).contains("did not answer in time");
	}

	@Test
	void healthIsUpWhileEnoughWorkersAreReady() {
		given(this.control.status()).willReturn(status("READY", "STARTING"));
		assertThat(new ClusterHealthIndicator(this.control, 1).health().getStatus()).isEqualTo(Status.UP);
		assertThat(new ClusterHealthIndicator(this.control, 2).health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void theFrontDoorsFailedRequestsAreACounter() {
		given(this.control.status()).willReturn(new ClusterStatus(1, Instant.now(), Duration.ZERO, "round-robin",
				List.of(8080), Map.of(), 1, 8, List.of(), null, 0, 0, 4, List.of(), null, false));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ClusterMetrics(this.control).bindTo(registry);
		assertThat(registry.get("cluster.front-door.failed.requests").functionCounter().count()).isEqualTo(4);
	}

	private static ClusterStatus status(String... states) {
		List<ClusterStatus.Worker> workers = new ArrayList<>();
		for (int i = 0; i < states.length; i++) {
			workers.add(new ClusterStatus.Worker(i + 1, 100 + i, states[i], 1, Instant.now(), Duration.ZERO, 0, 0, 0, 0,
					0, 0, 0, null, Map.of(), null));
		}
		return new ClusterStatus(1, Instant.now(), Duration.ZERO, "round-robin", List.of(8080), Map.of(), states.length,
				8, workers, null, 0, 0, 0, List.of(), null, false);
	}

}
