package dev.bootcluster.sample;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The internal hop from the front door to a worker: a Unix domain socket where the
 * worker's server can listen on one (Tomcat; Jetty with {@code jetty-unixdomain-server}),
 * loopback TCP with {@code cluster.front-door.internal-hop=tcp} or where it cannot
 * (Reactor Netty). Either way the application sees the client's own address and port, and
 * (but on Reactor Netty) the public port the client connected to, as if there were no
 * primary in between.
 */
class InternalHopIT {

	@ParameterizedTest(name = "{0} with internal-hop={1}")
	@CsvSource({ "sample.jar, unix-socket, true, true", "sample.jar, tcp, false, true",
			"sample.jetty.jar, unix-socket, true, true", "sample.jetty.jar, tcp, false, true",
			"sample.webflux.jar, unix-socket, false, false" })
	void theAppSeesTheClientAndThePublicPort(String jar, String hop, boolean onUnixSocket, boolean seesPublicPort)
			throws Exception {
		try (ClusterProcess cluster = ClusterCommand.jar(Path.of(System.getProperty(jar)))
			.workers(1)
			.property("cluster.front-door.internal-hop", hop)
			.start("hop-" + jar + "-" + hop)) {
			int port = cluster.awaitReady(1);
			InetAddress client = InetAddress.getByName("127.0.0.2");
			for (int i = 0; i < 3; i++) {
				Http.Response response = Http.getFrom(client, port, "/");
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.remote()).as("client address").isEqualTo("127.0.0.2");
				assertThat(response.remotePort()).as("client port").isEqualTo(response.clientPort());
				if (seesPublicPort) {
					assertThat(response.localPort()).as("the port the client connected to").isEqualTo(port);
				}
				else {
					// Reactor Netty takes only the client's address from the PROXY
					// header.
					assertThat(response.localPort()).as("the worker's own internal port").isNotEqualTo(port);
				}
			}
			List<String> sockets = ClusterProcess.unixSocketsListenedOnBy(cluster.workerPids().get(0));
			if (onUnixSocket) {
				assertThat(sockets).as("the worker's server socket")
					.singleElement()
					.asString()
					.matches(".*/worker-1-\\d+\\.sock");
			}
			else {
				assertThat(sockets).as("Unix sockets the worker listens on").isEmpty();
			}
		}
	}

}
