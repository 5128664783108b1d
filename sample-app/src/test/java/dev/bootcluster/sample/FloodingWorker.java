package dev.bootcluster.sample;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.WorkerEnvironment;

/**
 * A main class for {@link FloodedWorkerIT}: the sample app, except that the first worker
 * 1 is a worker that stops reading its control channel. It says a valid HELLO, waits for
 * the test's signal (a file), asks the primary for its status {@value #QUERIES} times
 * without reading one answer, and stops itself (SIGSTOP): the primary's answers pile up
 * for a worker that will never read them.
 */
public final class FloodingWorker {

	/**
	 * A directory, in every process of the cluster's command line: {@code -Dflood.dir=…}.
	 */
	static final String DIRECTORY = "flood.dir";

	/** Created by the test: flood now. */
	static final String SIGNAL = "flood";

	/** Far more answers than a socket buffer and the primary's queue per worker hold. */
	private static final int QUERIES = 20_000;

	private FloodingWorker() {
	}

	public static void main(String[] args) throws Exception {
		Path directory = Path.of(System.getProperty(DIRECTORY));
		if ("1".equals(System.getenv(WorkerEnvironment.ID)) && firstToCome(directory.resolve("worker-1-flooded"))) {
			flood(directory.resolve(SIGNAL));
		}
		else {
			SampleApplication.main(args);
		}
	}

	private static boolean firstToCome(Path marker) throws IOException {
		try {
			Files.createFile(marker);
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
	}

	private static void flood(Path signal) throws Exception {
		long pid = ProcessHandle.current().pid();
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(System.getenv(WorkerEnvironment.CHANNEL)));
			write(channel, "HELLO\t" + Message.PROTOCOL_VERSION + "\t1\t" + pid + "\t"
					+ System.getenv(WorkerEnvironment.TOKEN) + "\n");
			while (!Files.exists(signal)) {
				Thread.sleep(50);
			}
			StringBuilder queries = new StringBuilder();
			for (int i = 1; i <= QUERIES; i++) {
				queries.append("QUERY\t").append(i).append('\n');
			}
			write(channel, queries.toString());
			System.out.println("Flooding worker (pid " + pid + ") asked for " + QUERIES + " statuses; stopping itself");
			new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
			// Resumed only to be killed.
			new CountDownLatch(1).await();
		}
	}

	private static void write(SocketChannel channel, String text) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			channel.write(bytes);
		}
	}

}
