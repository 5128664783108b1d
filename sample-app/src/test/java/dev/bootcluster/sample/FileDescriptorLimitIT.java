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
import java.util.stream.Stream;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary out of file descriptors (its limit lowered with {@code prlimit}, from
 * util-linux, while it runs): it stops accepting with one WARN, does not spin (its CPU
 * time, from {@code /proc/<pid>/stat}, stays under 5% of a core), and serves again once
 * descriptors are free.
 */
class FileDescriptorLimitIT {

	/** Clock ticks per second for {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
	private static final double TICKS_PER_SECOND = 100;

	private static final Duration WINDOW = Duration.ofSeconds(5);

	@Test
	void outOfFileDescriptorsThePrimaryWaitsWithoutSpinningAndServesAgain() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(1).start("fd-limit")) {
			int port = cluster.awaitReady(1);
			assertThat(Http.get(port, "/").status()).isEqualTo(200);
			long pid = cluster.pid();
			// Room for a few relayed connections (two descriptors each), no more.
			long limit = openDescriptors(pid) + 12;
			run("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":" + limit);
			List<Socket> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 40; i++) {
					clients.add(requestAndHold(port));
				}
				cluster.awaitLine("WARN .*Out of file descriptors", Duration.ofSeconds(30));
				long before = cpuTicks(pid);
				long started = System.nanoTime();
				// The measurement window: the primary is at its limit with connections in
				// its backlog.
				Thread.sleep(WINDOW.toMillis());
				double seconds = (System.nanoTime() - started) / 1e9;
				double share = (cpuTicks(pid) - before) / TICKS_PER_SECOND / seconds;
				System.out.printf("Primary at its fd limit: %.1f%% of a core over %.1f s%n", share * 100, seconds);
				assertThat(share).as("share of one core used by the primary at its fd limit").isLessThan(0.05);
				assertThat(cluster.countLines("Out of file descriptors")).as("one WARN per episode").isOne();
			}
			finally {
				for (Socket client : clients) {
					client.close();
				}
			}
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.until(() -> Http.get(port, "/").status() == 200);
		}
	}

	/** A keep-alive client that sent one request and keeps its connection open. */
	private static Socket requestAndHold(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
		OutputStream out = socket.getOutputStream();
		out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	private static long openDescriptors(long pid) throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			return fds.count();
		}
	}

	/**
	 * utime + stime of process {@code pid}, in clock ticks: fields 14 and 15 of its stat
	 * line.
	 */
	private static long cpuTicks(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
		// The command name (field 2) is in parentheses and may hold spaces: count from
		// after it.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static void run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
	}

}
