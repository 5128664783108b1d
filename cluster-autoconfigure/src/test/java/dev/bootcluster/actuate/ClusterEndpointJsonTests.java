package dev.bootcluster.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The endpoint's records as actuator serialises them (its own JSON mapper) are exactly
 * the JSON the README shows, field for field.
 */
class ClusterEndpointJsonTests {

	private static final Pattern JSON_BLOCK = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL);

	private final ClusterControl control = mock(ClusterControl.class);

	private final ClusterEndpoint endpoint = new ClusterEndpoint(this.control, new ClusterPage(false, false),
			ClusterPageViewers.ANYONE);

	@Test
	void theStatusIsTheReadmesExample() throws IOException {
		given(this.control.status()).willReturn(new ClusterStatus(2536, at("09:00:00"), Duration.ofMinutes(90),
				"round-robin", List.of(8080), Map.of("grpc", 9090), 2, 8,
				List.of(new ClusterStatus.Worker(1, 2571, "READY", 2, at("10:12:03"), Duration.ofSeconds(17 * 60 + 54),
						1, 3, 1204, 5812, 52428800, 268435456, 201326592,
						new ClusterStatus.Exit(137, "SIGKILL", at("10:11:58")), Map.of("grpc", 38211), "0.1.0"),
						new ClusterStatus.Worker(2, 2574, "READY", 2, at("10:12:09"), Duration.ofSeconds(17 * 60 + 48),
								0, 2, 1187, 5790, 49283072, 268435456, 197132288, null, Map.of("grpc", 38215),
								"0.1.0")),
				new ClusterStatus.Reload("reload-1", "POST /actuator/cluster/reload", "SUCCEEDED", "2/2 replaced", 2, 2,
						at("10:12:00"), at("10:12:15"), null, 0, List.of(2560L, 2563L)),
				1, 0, 0, List.of(), "0.1.0", false));
		assertSameJson(this.endpoint.cluster(ClusterFormat.ACTUATOR_JSON, SecurityContext.NONE).getBody(),
				readmeExample(0));
	}

	@Test
	void aReloadsAnswerIsTheReadmesExample() throws IOException {
		given(this.control.reload())
			.willReturn(new Reply(Reply.Outcome.ACCEPTED, "reload-1", "Replacing 2 worker(s) one at a time"));
		assertSameJson(this.endpoint.reload("reload").getBody(), readmeExample(1));
	}

	@Test
	void anAnswerWithoutAReloadHasOnlyItsMessage() {
		given(this.control.scale(3)).willReturn(new Reply(Reply.Outcome.ACCEPTED, null, "Scaling from 2 to 3 workers"));
		assertSameJson(new ClusterScaleEndpoint(this.control).scale(3).getBody(),
				"{\"message\": \"Scaling from 2 to 3 workers; watch it with GET /actuator/cluster\"}");
	}

	private static void assertSameJson(Object body, String expected) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonEndpointAutoConfiguration.class))
			.run((context) -> {
				JsonMapper mapper = context.getBean(EndpointJsonMapper.class).get();
				assertThat(mapper.readTree(mapper.writeValueAsString(body))).isEqualTo(mapper.readTree(expected));
			});
	}

	/** The {@code index}th JSON block of the README's section on the endpoint. */
	private static String readmeExample(int index) throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		int section = readme.indexOf("### The endpoint, health and metrics");
		assertThat(section).as("README section on the endpoint").isNotNegative();
		String endpointSection = readme.substring(section, readme.indexOf("\n## ", section));
		List<String> blocks = JSON_BLOCK.matcher(endpointSection).results().map((block) -> block.group(1)).toList();
		assertThat(blocks).as("JSON examples in the README's section on the endpoint").hasSizeGreaterThan(index);
		return blocks.get(index);
	}

	private static Instant at(String time) {
		return Instant.parse("2026-11-27T" + time + "Z");
	}

}
