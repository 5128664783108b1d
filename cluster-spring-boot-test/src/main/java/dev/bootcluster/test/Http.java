package dev.bootcluster.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;

/**
 * A minimal HTTP/1.1 client on a plain socket to loopback: one new connection per
 * request, so that every request is a new connection for the front door to place (a
 * pooling client would keep talking to one worker). Stateless.
 */
public final class Http {

	private Http() {
	}

	/** {@code GET path}. */
	public static Response get(int port, String path) throws IOException {
		return request(port, "GET", path, "");
	}

	/**
	 * A request with no body; {@code headers} are whole lines, each ending in
	 * {@code \r\n} (see {@link #basic}).
	 */
	public static Response request(int port, String method, String path, String headers) throws IOException {
		return request(null, port, method, path, headers, "");
	}

	/** A POST with a JSON body. */
	public static Response postJson(int port, String path, String headers, String json) throws IOException {
		return request(null, port, "POST", path, headers + "Content-Type: application/json\r\n", json);
	}

	/** A GET from a client socket bound to {@code local} (127.0.0.2, say). */
	public static Response getFrom(InetAddress local, int port, String path) throws IOException {
		return request(local, port, "GET", path, "", "");
	}

	/** The {@code Authorization} header line of HTTP Basic for {@code user}. */
	public static String basic(String user, String password) {
		return "Authorization: Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
	}

	/**
	 * Any request: from {@code local} when it is not null, with {@code headers} (whole
	 * lines) and {@code body}.
	 */
	public static Response request(InetAddress local, int port, String method, String path, String headers, String body)
			throws IOException {
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
	 * One response, read to the end of the connection.
	 *
	 * @param status the status code
	 * @param headers the status line and header fields, as received
	 * @param body the body, de-chunked
	 * @param clientPort the port of the client socket that asked, or 0 where it is not
	 * known
	 */
	public record Response(int status, String headers, String body, int clientPort) {

		public Response(int status, String headers, String body) {
			this(status, headers, body, 0);
		}

		/** This response, as received on a client socket of port {@code clientPort}. */
		public Response from(int clientPort) {
			return new Response(this.status, this.headers, this.body, clientPort);
		}

		/** Reads a response that ends with its connection. */
		public static Response parse(InputStream in) throws IOException {
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
		public <T> T json(String path) {
			try {
				return JsonPath.read(this.body, path);
			}
			catch (JsonPathException ex) {
				throw new AssertionError("No " + path + " in response " + this.status + ": " + this.body, ex);
			}
		}

	}

}
