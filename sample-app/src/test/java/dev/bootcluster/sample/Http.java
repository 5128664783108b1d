package dev.bootcluster.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.JsonPath;

/**
 * A minimal HTTP/1.1 client on a plain socket: one new connection per request, so that
 * every request is a new connection for the front door to place.
 */
final class Http {

	private Http() {
	}

	static final String ADMIN = "Authorization: Basic "
			+ Base64.getEncoder().encodeToString("admin:change-me".getBytes(StandardCharsets.US_ASCII)) + "\r\n";

	static Response get(int port, String path) throws IOException {
		return request(port, "GET", path, "");
	}

	/** A POST with no body, as the sample's administrator. */
	static Response postAsAdmin(int port, String path) throws IOException {
		return request(port, "POST", path, ADMIN);
	}

	static Response request(int port, String method, String path, String headers) throws IOException {
		return request(null, port, method, path, headers, "");
	}

	/** A request with {@code body}, headers given whole (each ending with CRLF). */
	static Response request(int port, String method, String path, String headers, String body) throws IOException {
		return request(null, port, method, path, headers, body);
	}

	/** A POST with a JSON body, as the sample's administrator. */
	static Response postJsonAsAdmin(int port, String path, String json) throws IOException {
		return request(null, port, "POST", path, ADMIN + "Content-Type: application/json\r\n", json);
	}

	/** A GET from a client socket bound to {@code local} (127.0.0.2, say). */
	static Response getFrom(InetAddress local, int port, String path) throws IOException {
		return request(local, port, "GET", path, "", "");
	}

	private static Response request(InetAddress local, int port, String method, String path, String headers,
			String body) throws IOException {
		try (Socket socket = new Socket()) {
			if (local != null) {
				socket.bind(new InetSocketAddress(local, 0));
			}
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			byte[] content = body.getBytes(StandardCharsets.UTF_8);
			out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
					+ "Content-Length: " + content.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(content);
			out.flush();
			return Response.parse(socket.getInputStream()).from(socket.getLocalPort());
		}
	}

	/**
	 * @param clientPort the port of the client socket that asked, or 0 where it is not
	 * known
	 */
	record Response(int status, String headers, String body, int clientPort) {

		Response(int status, String headers, String body) {
			this(status, headers, body, 0);
		}

		Response from(int clientPort) {
			return new Response(this.status, this.headers, this.body, clientPort);
		}

		static Response parse(InputStream in) throws IOException {
			String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			int end = raw.indexOf("\r\n\r\n");
			if (!raw.startsWith("HTTP/1.1 ") || end < 0) {
				throw new IOException("No complete HTTP response, got: '" + raw + "'");
			}
			String headers = raw.substring(0, end);
			String body = raw.substring(end + 4);
			if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
				body = dechunk(body);
			}
			return new Response(Integer.parseInt(raw.substring(9, 12)), headers, body);
		}

		private static String dechunk(String chunked) throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				if (lineEnd < 0) {
					throw new IOException("Truncated chunked body");
				}
				int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
				if (size == 0) {
					return body.toString(StandardCharsets.UTF_8);
				}
				if (lineEnd + 2 + size > chunked.length()) {
					throw new IOException("Truncated chunk");
				}
				body.write(chunked.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
				at = lineEnd + 2 + size + 2;
			}
		}

		/** A value of the JSON body by JSON path, such as {@code $.reload}. */
		<T> T json(String path) {
			try {
				return JsonPath.read(this.body, path);
			}
			catch (JsonPathException ex) {
				throw new AssertionError("No " + path + " in response " + this.status + ": " + this.body, ex);
			}
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
