package dev.bootcluster.worker;

import java.util.Map;

import dev.bootcluster.channel.Message;
import org.junit.jupiter.api.Test;

import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsReportTests {

	@Test
	void reportsTheClusterPropertiesAndPortsFromEverySourceButTheLaunchVariables() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "3")
			.withProperty("cluster.worker.max-requests", "20")
			.withProperty("cluster.front-door.extra-ports[0]", "grpc=9090")
			.withProperty("server.port", "8081")
			.withProperty("sample.greeting", "hello");
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("CLUSTER_WORKER_MAXREQUESTSJITTER", "5", "CLUSTER_WORKER_ID", "1", "CLUSTER_TOKEN",
							"one-time", "CLUSTER_USER_PASSWORD", "generated", "CLUSTER_MAX_REQUESTS", "20",
							"SERVER_ADDRESS", "127.0.0.2")));
		Message report = SettingsReport.of(environment);
		assertThat(report.type()).isEqualTo(Message.Type.SETTINGS);
		assertThat(report.fields()).contains("cluster.workers=3", "cluster.worker.max-requests=20",
				"cluster.front-door.extra-ports.0=grpc=9090", "cluster.worker.maxrequestsjitter=5", "server.port=8081",
				"server.address=127.0.0.2");
		assertThat(String.join(" ", report.fields())).doesNotContain("sample.greeting", "worker.id", "one-time",
				"generated", "cluster.max.requests");
	}

}
