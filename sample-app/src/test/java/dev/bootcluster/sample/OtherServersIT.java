package dev.bootcluster.sample;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster on Jetty and on Reactor Netty (WebFlux), with the primary relaying
 * (round-robin, PROXY protocol v2 on the internal hop so the app sees the real client
 * address) and with the kernel spreading connections (os): the same app code, one
 * dependency and one property. Actuator on a port of its own sees the real client too.
 */
class OtherServersIT {

	@ParameterizedTest(name = "{0} with {1}")
	@CsvSource({ "jetty, round-robin", "jetty, os", "webflux, round-robin", "webflux, os" })
	void everyWorkerServesThePublicPort(String server, String policy) throws Exception {
		Path jar = Path.of(System.getProperty("sample." + server + ".jar"));
		try (ClusterProcess cluster = ClusterCommand.jar(jar)
			.workers(2)
			.property("cluster.scheduling-policy", policy)
			.property("management.server.port", "0")
			.start(server + "-" + policy)) {
			int port = cluster.awaitReady(2);
			Set<Long> pids = new HashSet<>();
			for (int i = 0; i < 40; i++) {
				Http.Response response = Http.get(port, "/");
				assertThat(response.status()).isEqualTo(200);
				pids.add(response.pid());
			}
			assertThat(pids).containsExactlyInAnyOrderElementsOf(cluster.workerPids());
			InetAddress client = InetAddress.getByName("127.0.0.2");
			for (int i = 0; i < 4; i++) {
				assertThat(Http.getFrom(client, port, "/").remote()).as("the client address the app sees")
					.isEqualTo("127.0.0.2");
			}
			// Actuator's own port is relayed by the primary with every policy, PROXY
			// header included.
			int management = cluster.managementPort();
			for (int i = 0; i < 4; i++) {
				Http.Response response = Http.getFrom(client, management, "/client");
				assertThat(cluster.workerPids()).contains(response.pid());
				assertThat(response.remote()).as("the client address actuator sees").isEqualTo("127.0.0.2");
				assertThat(response.remotePort()).as("the client port actuator sees").isEqualTo(response.clientPort());
			}
			// The workers are the ones the primary started.
			long listeningOnThePublicPort = 0;
			for (long worker : cluster.workerPids()) {
				if (ClusterProcess.tcpPortsListenedOnBy(worker).contains(port)) {
					listeningOnThePublicPort++;
				}
			}
			assertThat(listeningOnThePublicPort).as("workers listening on the public port themselves")
				.isEqualTo(policy.equals("os") ? 2 : 0);
		}
	}

}
