package dev.bootcluster.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The keep-alive handover stays exact with every HTTP/1.1 shape in the mix: three rolling
 * reloads while clients upload with {@code Expect: 100-continue} and with chunked bodies,
 * read chunked responses, follow a server-sent event stream, and send plain keep-alive
 * GETs. No request fails, and the event stream ends cleanly on each retiring worker and
 * is picked up again on a ready one.
 */
class MixedTrafficReloadIT {

	private static final int UPLOAD_BYTES = 20_000;

	@Test
	void threeReloadsUnderMixedTrafficFailNoRequest() throws Exception {
		try (ClusterProcess cluster = Sample.command().workers(2).start("mixed-traffic-reload")) {
			int port = cluster.awaitReady(2);
			List<String> failures = new CopyOnWriteArrayList<>();
			AtomicInteger uploads = new AtomicInteger();
			AtomicInteger streams = new AtomicInteger();
			AtomicInteger streamEnds = new AtomicInteger();
			AtomicInteger events = new AtomicInteger();
			try (KeepAliveLoad gets = KeepAliveLoad.start(port, 4, "/", Duration.ofSeconds(300));
					ClientThreads clients = new ClientThreads()) {
				KeepAlive uploader = new KeepAlive(port);
				KeepAlive streamer = new KeepAlive(port);
				KeepAlive follower = new KeepAlive(port);
				clients.repeat("uploads", uploader.exchange(() -> upload(uploader, uploads, failures)), failures);
				clients.repeat("streams", streamer.exchange(() -> stream(streamer, streams, failures)), failures);
				clients.repeat("events",
						follower.exchange(() -> follow(follower, clients, events, streamEnds, failures)), failures);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> uploads.get() > 10 && streams.get() > 10 && events.get() > 10);
				Set<Long> before = new HashSet<>(cluster.workerPids());
				for (int reload = 1; reload <= 3; reload++) {
					assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
					cluster.awaitLine("Reload reload-" + reload + " .* finished: 2/2 replaced",
							Duration.ofSeconds(300));
					int uploaded = uploads.get();
					int streamed = streams.get();
					int received = events.get();
					await().atMost(Duration.ofSeconds(60))
						.until(() -> uploads.get() > uploaded + 5 && streams.get() > streamed + 5
								&& events.get() > received + 5);
				}
				assertThat(cluster.workerPids()).hasSize(before.size() + 6);
				assertThat(streamEnds.get()).as("event streams ended cleanly by a retiring worker")
					.isGreaterThanOrEqualTo(3);
				clients.close();
				gets.close();
				assertThat(gets.failures()).as("failed GETs").isEmpty();
				assertThat(failures).as("failed uploads, streams and events").isEmpty();
				assertThat(cluster.state().failedRequests()).as("502s and responses cut short by the front door")
					.isZero();
				System.out.printf(
						"mixed traffic through 3 reloads: %d GETs, %d uploads, %d chunked responses, "
								+ "%d events in %d clean stream ends%n",
						gets.succeeded(), uploads.get(), streams.get(), events.get(), streamEnds.get());
			}
		}
	}

	/**
	 * Alternates an upload with {@code Expect: 100-continue} and one with a chunked body,
	 * on one connection.
	 */
	private static void upload(KeepAlive client, AtomicInteger done, List<String> failures) throws IOException {
		RawConnection connection = client.connection();
		RawConnection.Head head;
		if (done.get() % 2 == 0) {
			connection.write("POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
					+ "Content-Type: application/octet-stream\r\nContent-Length: " + UPLOAD_BYTES + "\r\n\r\n");
			head = connection.readHead();
			if (head.status() == 100) {
				connection.write("x".repeat(UPLOAD_BYTES));
				head = connection.readHead();
			}
		}
		else {
			connection.write("POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
					+ "Content-Type: application/octet-stream\r\n\r\n");
			int half = UPLOAD_BYTES / 2;
			connection.write(Integer.toHexString(half) + "\r\n" + "x".repeat(half) + "\r\n");
			connection.write(Integer.toHexString(half) + "\r\n" + "x".repeat(half) + "\r\n0\r\n\r\n");
			head = connection.readHead();
		}
		String response = connection.readBody(head);
		if (head.status() != 200 || !response.contains("\"bytes\":" + UPLOAD_BYTES)) {
			failures.add("upload: HTTP " + head.status() + " " + response);
		}
		done.incrementAndGet();
		client.closeIf(head.closes());
	}

	/** Reads a chunked response. */
	private static void stream(KeepAlive client, AtomicInteger done, List<String> failures) throws IOException {
		RawConnection connection = client.connection();
		connection.write("GET /stream?chunks=50 HTTP/1.1\r\nHost: localhost\r\n\r\n");
		RawConnection.Head head = connection.readHead();
		String body = connection.readBody(head);
		if (head.status() != 200 || !head.chunked() || !body.endsWith("line 50\n")) {
			failures.add("stream: HTTP " + head.status() + " chunked " + head.chunked() + " " + body);
		}
		done.incrementAndGet();
		client.closeIf(head.closes());
	}

	/**
	 * Follows an event stream that only a shutting-down worker ends; when it ends, the
	 * next call asks for it again on the same connection, as an EventSource reconnects.
	 */
	private static void follow(KeepAlive client, ClientThreads clients, AtomicInteger received, AtomicInteger ends,
			List<String> failures) throws IOException {
		RawConnection connection = client.connection();
		connection.write(
				"GET /events?count=100000&ms=50 HTTP/1.1\r\nHost: localhost\r\n" + "Accept: text/event-stream\r\n\r\n");
		RawConnection.Head head = connection.readHead();
		if (head.status() != 200 || !head.chunked()) {
			failures.add("events: HTTP " + head.status());
			client.closeIf(true);
			return;
		}
		for (String chunk = connection.readChunk(); chunk != null; chunk = connection.readChunk()) {
			if (chunk.contains("tick ")) {
				received.incrementAndGet();
			}
			if (!clients.running()) {
				client.closeIf(true);
				return;
			}
		}
		ends.incrementAndGet();
		client.closeIf(head.closes());
	}

	/**
	 * One client's keep-alive connection: opened when needed, dropped after a failure or
	 * a close.
	 */
	private static final class KeepAlive {

		private final int port;

		private RawConnection connection;

		KeepAlive(int port) {
			this.port = port;
		}

		RawConnection connection() throws IOException {
			if (this.connection == null) {
				this.connection = new RawConnection(this.port);
			}
			return this.connection;
		}

		/** Runs an exchange; a failed one leaves the connection for a new one. */
		ClientThreads.Exchange exchange(ClientThreads.Exchange exchange) {
			return () -> {
				try {
					exchange.run();
				}
				catch (IOException ex) {
					closeIf(true);
					throw ex;
				}
			};
		}

		void closeIf(boolean close) throws IOException {
			if (close && this.connection != null) {
				this.connection.close();
				this.connection = null;
			}
		}

	}

}
