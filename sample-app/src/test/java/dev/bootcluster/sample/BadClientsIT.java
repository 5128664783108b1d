package dev.bootcluster.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that misbehave — thousands of idle connections (slowloris), garbage bytes,
 * clients that send and never read — do not stop the front door from serving the others,
 * and its memory stays bounded.
 */
class BadClientsIT {

	private static final int IDLE = 5000;

	private static final int GARBAGE = 20;

	private static final int NEVER_READING = 50;

	/**
	 * Served, not stuck: far below the front door's own timeouts, far above a busy
	 * machine's delays.
	 */
	private static final Duration QUICK = Duration.ofSeconds(15);

	@Test
	void misbehavingClientsLeaveTheOthersServed() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("bad-clients")) {
			int port = cluster.awaitReady(2);
			for (int i = 0; i < 20; i++) {
				assertThat(Http.get(port, "/").status()).isEqualTo(200);
			}
			long rssBefore = residentKilobytes(cluster.pid());
			List<Socket> bad = new ArrayList<>();
			try {
				for (int i = 0; i < IDLE; i++) {
					bad.add(connect(port));
				}
				Random random = new Random(7);
				for (int i = 0; i < GARBAGE; i++) {
					byte[] garbage = new byte[4096];
					random.nextBytes(garbage);
					Socket socket = connect(port);
					bad.add(socket);
					socket.getOutputStream().write(garbage);
				}
				byte[] pipelined = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
				for (int i = 0; i < NEVER_READING; i++) {
					Socket socket = connect(port);
					bad.add(socket);
					OutputStream out = socket.getOutputStream();
					out.write(pipelined);
				}
				long slowest = 0;
				for (int i = 0; i < 50; i++) {
					long started = System.nanoTime();
					assertThat(Http.get(port, "/").status()).isEqualTo(200);
					long millis = (System.nanoTime() - started) / 1_000_000;
					// A front door held up by these clients would make a request wait out
					// the queue
					// timeout (30 s) or the idle timeout (5 min); a busy machine takes a
					// few seconds.
					assertThat(millis).as("ms for a request among bad clients").isLessThan(QUICK.toMillis());
					slowest = Math.max(slowest, millis);
				}
				System.out.printf("slowest of 50 requests among bad clients: %d ms%n", slowest);
				long rssDuring = residentKilobytes(cluster.pid());
				System.out.printf(
						"primary RSS: %d MB before, %d MB with %d idle, %d garbage and %d never-reading clients%n",
						rssBefore / 1024, rssDuring / 1024, IDLE, GARBAGE, NEVER_READING);
				assertThat(rssDuring - rssBefore).as("primary RSS growth in kB").isLessThan(128 * 1024);
			}
			finally {
				for (Socket socket : bad) {
					socket.close();
				}
			}
			for (int i = 0; i < 20; i++) {
				assertThat(Http.get(port, "/").status()).isEqualTo(200);
			}
		}
	}

	private static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
		return socket;
	}

	private static long residentKilobytes(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D+", ""));
			}
		}
		throw new IllegalStateException("No VmRSS for " + pid);
	}

}
