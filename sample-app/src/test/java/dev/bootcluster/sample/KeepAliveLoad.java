package dev.bootcluster.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;

/**
 * Keep-alive load on a loopback port, the way wrk makes it: each of {@code connections}
 * threads sends request after request on one persistent connection until {@link #close
 * closed} (the test's own deadlines bound it), or for an optional {@code maxDuration}.
 * Each connection sends at most one request per {@link #PACE}: at full speed the load
 * takes the CPU a reload needs to boot the new workers, which on a 2-core machine made a
 * reload three times as long and tested nothing more. A connection the server closes
 * between requests is reopened, as any HTTP client does; a request that gets no complete
 * response, or a non-2xx one, is a failure. The load's threads update the counters; the
 * test's thread reads them.
 */
final class KeepAliveLoad implements AutoCloseable {

	/** 100 requests per second per connection, 1,600 for the reload tests' 16. */
	static final Duration PACE = Duration.ofMillis(10);

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicLong succeeded = new AtomicLong();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final Set<Long> pids = ConcurrentHashMap.newKeySet();

	private final List<Thread> threads = new ArrayList<>();

	private final int port;

	/**
	 * @param maxDuration how long at most, or {@code null} until closed
	 */
	private KeepAliveLoad(int port, int connections, String path, Duration maxDuration) {
		this.port = port;
		long started = System.nanoTime();
		for (int i = 0; i < connections; i++) {
			Thread thread = new Thread(() -> run(path, started, maxDuration), "keep-alive-" + i);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	/** Runs until closed. */
	static KeepAliveLoad start(int port, int connections, String path) {
		return new KeepAliveLoad(port, connections, path, null);
	}

	static KeepAliveLoad start(int port, int connections, String path, Duration maxDuration) {
		return new KeepAliveLoad(port, connections, path, maxDuration);
	}

	long succeeded() {
		return this.succeeded.get();
	}

	List<String> failures() {
		return List.copyOf(this.failures);
	}

	/** Pids that have answered since the last call. */
	Set<Long> drainPids() {
		Set<Long> seen = Set.copyOf(this.pids);
		this.pids.removeAll(seen);
		return seen;
	}

	private void run(String path, long started, Duration maxDuration) {
		Socket socket = null;
		InputStream in = null;
		long due = System.nanoTime();
		try {
			while (this.running.get() && (maxDuration == null || System.nanoTime() - started < maxDuration.toNanos())) {
				if (socket == null) {
					socket = connect();
					in = new BufferedInputStream(socket.getInputStream());
				}
				// A rate, not a wait for a condition.
				LockSupport.parkNanos(due - System.nanoTime());
				due = Math.max(due, System.nanoTime()) + PACE.toNanos();
				byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII);
				try {
					OutputStream out = socket.getOutputStream();
					out.write(request);
					out.flush();
					Response response = Response.read(in);
					if (response.status / 100 != 2) {
						this.failures.add("HTTP " + response.status);
					}
					else {
						this.succeeded.incrementAndGet();
						try {
							this.pids.add(JsonPath.<Number>read(response.body, "$.pid").longValue());
						}
						catch (JsonPathException ex) {
							this.failures.add("HTTP " + response.status + " without a pid: " + response.body);
						}
					}
					if (response.closes) {
						socket.close();
						socket = null;
					}
				}
				catch (IOException ex) {
					this.failures.add(ex.toString());
					socket.close();
					socket = null;
				}
			}
		}
		catch (IOException ex) {
			this.failures.add("connect: " + ex);
		}
		finally {
			if (socket != null) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// done anyway
				}
			}
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 5000);
		socket.setSoTimeout(30_000);
		return socket;
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		for (Thread thread : this.threads) {
			thread.join(Duration.ofSeconds(40).toMillis());
		}
	}

	/**
	 * One HTTP/1.1 response read off a keep-alive connection (Content-Length or chunked).
	 */
	private record Response(int status, String body, boolean closes) {

		static Response read(InputStream in) throws IOException {
			String statusLine = line(in);
			if (statusLine == null) {
				throw new IOException("Connection closed before a response");
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = -1;
			boolean chunked = false;
			boolean closes = false;
			for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
				String lower = header.toLowerCase();
				if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
				else if (lower.startsWith("connection:") && lower.contains("close")) {
					closes = true;
				}
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if (chunked) {
				for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
					body.write(exactly(in, size));
					line(in);
				}
				line(in);
			}
			else if (length >= 0) {
				body.write(exactly(in, (int) length));
			}
			return new Response(status, body.toString(StandardCharsets.UTF_8), closes);
		}

		private static int chunkSize(InputStream in) throws IOException {
			String line = line(in);
			if (line == null) {
				throw new IOException("Connection closed inside a chunked body");
			}
			return Integer.parseInt(line.split(";")[0].trim(), 16);
		}

		private static byte[] exactly(InputStream in, int length) throws IOException {
			byte[] bytes = in.readNBytes(length);
			if (bytes.length < length) {
				throw new IOException("Connection closed inside a body");
			}
			return bytes;
		}

		/**
		 * A CRLF-terminated line, or {@code null} at the end of the stream before any
		 * byte.
		 */
		private static String line(InputStream in) throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = in.read(); b != -1; b = in.read()) {
				if (b == '\n') {
					String text = line.toString(StandardCharsets.ISO_8859_1);
					return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
				}
				line.write(b);
			}
			if (line.size() > 0) {
				throw new IOException("Connection closed inside a line");
			}
			return null;
		}

	}

}
