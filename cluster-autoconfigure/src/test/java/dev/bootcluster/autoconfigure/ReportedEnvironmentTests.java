package dev.bootcluster.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import dev.bootcluster.primary.SettingsReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A new version's reported properties, read by the primary as it read its own at start.
 */
class ReportedEnvironmentTests {

	@Test
	void aReportIsReadAsTheSettingsAndPortsAtStart() {
		SettingsReader.Reported reported = ClusterRunListener.read(ReportedEnvironment
			.of(Map.of("cluster.workers", "3", "cluster.worker.max-requests", "20", "cluster.worker.maxrequestsjitter",
					"5", "cluster.front-door.extra-ports.0", "grpc=9090", "server.port", "8081")));
		assertThat(reported.settings().workers()).isEqualTo(3);
		assertThat(reported.settings().supervision().maxRequests()).isEqualTo(20);
		assertThat(reported.settings().supervision().maxRequestsJitter()).as("as an environment variable names it")
			.isEqualTo(5);
		assertThat(reported.ports()).extracting(PublicPort::kind, PublicPort::port)
			.containsExactly(tuple(PortKind.SERVER, 8081), tuple(PortKind.extra("grpc"), 9090));
	}

	@Test
	void anInvalidValueNamesTheProperty() {
		assertThatExceptionOfType(InvalidClusterPropertyException.class)
			.isThrownBy(() -> ClusterRunListener
				.read(ReportedEnvironment.of(Map.of("cluster.workers", "three", "server.port", "8081"))))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("cluster.workers"))
			.withMessageContaining("'three'");
	}

	@Test
	void nothingOfThePrimarysOwnProcessIsRead() {
		System.setProperty("cluster.workers", "4");
		try {
			assertThatExceptionOfType(InvalidClusterPropertyException.class)
				.isThrownBy(() -> ClusterRunListener.read(ReportedEnvironment.of(Map.of("server.port", "8081"))))
				.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("cluster.workers"));
		}
		finally {
			System.clearProperty("cluster.workers");
		}
	}

	@Test
	void withoutServerPropertiesTheServerIsOnBootsDefaultPort() {
		assertThat(ClusterRunListener.read(ReportedEnvironment.of(Map.of("cluster.workers", "2"))).ports())
			.isEqualTo(List.of(new PublicPort(PortKind.SERVER, null, 8080)));
	}

}
