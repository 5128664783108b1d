package dev.bootcluster.sample;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The sample's HTTP vocabulary on top of the test kit's client
 * ({@link dev.bootcluster.test.Http}): its administrator, and the fields its
 * {@code GET /} answers with (which JVM, which worker, which client). Stateless.
 */
final class Http {

	private Http() {
	}

	/** The sample's administrator (application.properties), who may reload and scale. */
	static final String ADMIN = dev.bootcluster.test.Http.basic("admin", "change-me");

	static Response get(int port, String path) throws IOException {
		return new Response(dev.bootcluster.test.Http.get(port, path));
	}

	/** A POST with no body, as the sample's administrator. */
	static Response postAsAdmin(int port, String path) throws IOException {
		return request(port, "POST", path, ADMIN);
	}

	static Response request(int port, String method, String path, String headers) throws IOException {
		return new Response(dev.bootcluster.test.Http.request(port, method, path, headers));
	}

	/** A request with {@code body}, headers given whole (each ending with CRLF). */
	static Response request(int port, String method, String path, String headers, String body) throws IOException {
		return new Response(dev.bootcluster.test.Http.request(null, port, method, path, headers, body));
	}

	/** A POST with a JSON body, as the sample's administrator. */
	static Response postJsonAsAdmin(int port, String path, String json) throws IOException {
		return new Response(dev.bootcluster.test.Http.postJson(port, path, ADMIN, json));
	}

	/** A GET from a client socket bound to {@code local} (127.0.0.2, say). */
	static Response getFrom(InetAddress local, int port, String path) throws IOException {
		return new Response(dev.bootcluster.test.Http.getFrom(local, port, path));
	}

	/** A response, read as the sample's JSON where it is one. */
	record Response(dev.bootcluster.test.Http.Response received) {

		int status() {
			return this.received.status();
		}

		String headers() {
			return this.received.headers();
		}

		String body() {
			return this.received.body();
		}

		/** The port of the client socket that asked. */
		int clientPort() {
			return this.received.clientPort();
		}

		/** A value of the JSON body by JSON path, such as {@code $.reload}. */
		<T> T json(String path) {
			return this.received.json(path);
		}

		/** The sample app's {@code GET /}: the pid of the process that answered. */
		long pid() {
			return this.<Number>json("$.pid").longValue();
		}

		String worker() {
			return json("$.worker");
		}

		String workers() {
			return json("$.workers");
		}

		String greeting() {
			return json("$.greeting");
		}

		/** The client address the application saw. */
		String remote() {
			return json("$.remote");
		}

		/** The client port the application saw. */
		int remotePort() {
			return this.<Number>json("$.remotePort").intValue();
		}

		/** The local (server) port the application saw. */
		int localPort() {
			return this.<Number>json("$.localPort").intValue();
		}

	}

}
