package dev.bootcluster.sample;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster on Jetty and on Reactor Netty (WebFlux), with the primary relaying
 * (round-robin, PROXY protocol v2 on the internal hop so the app sees the real client
 * address) and with the kernel spreading connections (os): the same app code, one
 * dependency and one property.
 */
class OtherServersIT {

	@ParameterizedTest(name = "{0} with {1}")
	@CsvSource({ "jetty, round-robin", "jetty, os", "webflux, round-robin", "webflux, os" })
	void everyWorkerServesThePublicPort(String server, String policy) throws Exception {
		Path jar = Path.of(System.getProperty("sample." + server + ".jar"));
		try (ClusterProcess cluster = ClusterCommand.jar(jar)
			.workers(2)
			.property("cluster.scheduling-policy", policy)
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
			// These apps have no cluster endpoint; the workers are the ones the primary started.
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
