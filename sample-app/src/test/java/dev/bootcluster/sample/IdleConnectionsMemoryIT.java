package dev.bootcluster.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection holds no request buffer once its request is answered: 2,000 keep-alive
 * connections that each sent one 60 KB PUT (idempotent, so the front door keeps a copy
 * until the answer begins) and then went idle leave the primary's heap, after a GC,
 * within 10 MB of its idle value.
 */
class IdleConnectionsMemoryIT {

	private static final int CONNECTIONS = 2000;

	private static final int REQUEST_BYTES = 60_000;

	private static final long TEN_MB = 10L * 1024 * 1024;

	private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

	@Test
	void idleConnectionsHoldNoRequestBuffer() throws Exception {
		// Tomcat keeps the idle connections open for the whole test.
		try (ClusterProcess cluster = Sample.command()
			.workers(2)
			.property("server.tomcat.keep-alive-timeout", "10m")
			.property("server.tomcat.connection-timeout", "10m")
			.start("idle-connections-memory")) {
			int port = cluster.awaitReady(2);
			byte[] body = new byte[REQUEST_BYTES];
			Arrays.fill(body, (byte) 'x');
			String head = "PUT /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: " + REQUEST_BYTES + "\r\n\r\n";
			for (int i = 0; i < 20; i++) {
				try (RawConnection warmUp = new RawConnection(port)) {
					upload(warmUp, head, body);
				}
			}
			long idle = heapAfterGc(cluster.pid());
			List<RawConnection> connections = new ArrayList<>();
			try {
				for (int i = 0; i < CONNECTIONS; i++) {
					RawConnection connection = new RawConnection(port);
					connections.add(connection);
					upload(connection, head, body);
				}
				long loaded = heapAfterGc(cluster.pid());
				System.out.printf(
						"primary heap after GC: %d KB idle, %d KB with %d idle connections that sent %d bytes each%n",
						idle / 1024, loaded / 1024, CONNECTIONS, REQUEST_BYTES);
				assertThat(loaded - idle).as("primary heap growth in bytes").isLessThan(TEN_MB);
				for (int i = 0; i < CONNECTIONS; i += 100) {
					// Still open, still served: the heap was measured with every
					// connection alive.
					upload(connections.get(i), head, body);
				}
			}
			finally {
				for (RawConnection connection : connections) {
					connection.close();
				}
			}
		}
	}

	private static void upload(RawConnection connection, String head, byte[] body) throws IOException {
		connection.write(head);
		connection.write(body);
		RawConnection.Head response = connection.readHead();
		assertThat(response.status()).isEqualTo(200);
		assertThat(connection.readBody(response)).contains("\"bytes\":" + REQUEST_BYTES);
	}

	/** The primary's used heap after a full GC, in bytes, from {@code jcmd}. */
	private static long heapAfterGc(long pid) throws IOException, InterruptedException {
		jcmd(pid, "GC.run");
		String info = jcmd(pid, "GC.heap_info");
		long used = 0;
		Matcher matcher = USED.matcher(info);
		while (matcher.find()) {
			used += Long.parseLong(matcher.group(1)) * 1024;
		}
		assertThat(used).as("heap used in " + info).isPositive();
		return used;
	}

	private static String jcmd(long pid, String command) throws IOException, InterruptedException {
		String jcmd = ClusterProcess.java().get(0).replaceAll("java$", "jcmd");
		Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		return output;
	}

}
