package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.bootcluster.frontdoor.FrontDoor;
import dev.bootcluster.frontdoor.PortInUseException;
import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import dev.bootcluster.frontdoor.SchedulingPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A cluster that cannot start is reported by Boot's own failure analysis, in the words a
 * single process would use.
 */
class StartupFailureAnalyzersTests {

	@Test
	void anInvalidPropertyNamesItsValueAndWhatIsAllowed() {
		FailureAnalysis analysis = new InvalidClusterPropertyFailureAnalyzer().analyze(new IllegalStateException(
				"wrapped", new InvalidClusterPropertyException("cluster.workers", "abc", "'auto' or a whole number")));
		assertThat(analysis.getDescription()).isEqualTo("Invalid value 'abc' for property 'cluster.workers'.");
		assertThat(analysis.getAction()).isEqualTo("Set 'cluster.workers' to 'auto' or a whole number.");
	}

	@Test
	void aPortInUseIsNamed() throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			PublicPort port = new PublicPort(PortKind.SERVER, null, taken.getLocalPort());
			PortInUseException inUse = assertThatExceptionOfType(PortInUseException.class)
				.isThrownBy(() -> FrontDoor.bind(List.of(port), SchedulingPolicy.ROUND_ROBIN, Duration.ofSeconds(1),
						Duration.ofSeconds(1), 100, 16 * 1024))
				.actual();
			FailureAnalysis analysis = new ClusterPortInUseFailureAnalyzer().analyze(new UncheckedIOException(inUse));
			assertThat(analysis.getDescription())
				.isEqualTo("The cluster could not start: port " + taken.getLocalPort() + " was already in use.");
			assertThat(analysis.getAction())
				.startsWith("Identify and stop the process that's listening on port " + taken.getLocalPort());
		}
	}

	@Test
	void bootFindsTheAnalyzers() {
		// Boot's own analyzers need arguments this test does not give: skip them.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, (type, name, failure) -> {
			})).hasAtLeastOneElementOfType(InvalidClusterPropertyFailureAnalyzer.class)
			.hasAtLeastOneElementOfType(ClusterPortInUseFailureAnalyzer.class);
	}

}
