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
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 client connection that writes requests byte by byte as a test
 * needs them ({@code Expect: 100-continue}, chunked bodies) and reads responses of every
 * framing, interim ones included.
 */
final class RawConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	RawConnection(int port) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
		this.socket.setSoTimeout(30_000);
		this.in = new BufferedInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	void write(String text) throws IOException {
		this.out.write(text.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
	}

	void write(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	/** Reads a response head: the status line and fields, lower-cased names. */
	Head readHead() throws IOException {
		String statusLine = readLine();
		if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
			throw new IOException("No response, got: " + statusLine);
		}
		StringBuilder fields = new StringBuilder();
		for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
			fields.append(line.toLowerCase(Locale.ROOT)).append('\n');
		}
		return new Head(Integer.parseInt(statusLine.substring(9, 12)), fields.toString());
	}

	/** Reads the body of a response whose head was read, however it is framed. */
	String readBody(Head head) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (head.chunked()) {
			for (int size = chunkSize(); size > 0; size = chunkSize()) {
				body.write(readExactly(size));
				readLine();
			}
			while (!readLine().isEmpty()) {
				// trailer fields
			}
		}
		else {
			body.write(readExactly(head.contentLength()));
		}
		return body.toString(StandardCharsets.UTF_8);
	}

	/**
	 * Reads one chunk of a chunked body as it comes: its data, or null at the last chunk.
	 */
	String readChunk() throws IOException {
		int size = chunkSize();
		if (size == 0) {
			while (!readLine().isEmpty()) {
				// trailer fields
			}
			return null;
		}
		byte[] data = readExactly(size);
		readLine();
		return new String(data, StandardCharsets.UTF_8);
	}

	private int chunkSize() throws IOException {
		String line = readLine();
		if (line == null) {
			throw new IOException("Connection closed inside a chunked body");
		}
		int extension = line.indexOf(';');
		return Integer.parseInt((extension >= 0) ? line.substring(0, extension).trim() : line.trim(), 16);
	}

	private byte[] readExactly(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new IOException("Connection closed after " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = this.in.read(); b != -1; b = this.in.read()) {
			if (b == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			line.append((char) b);
		}
		return (line.length() > 0) ? line.toString() : null;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	record Head(int status, String fields) {

		boolean chunked() {
			return this.fields.contains("transfer-encoding: chunked");
		}

		int contentLength() {
			int at = this.fields.indexOf("content-length:");
			if (at < 0) {
				return 0;
			}
			int end = this.fields.indexOf('\n', at);
			return Integer.parseInt(this.fields.substring(at + "content-length:".length(), end).trim());
		}

		boolean closes() {
			return this.fields.contains("connection: close");
		}

	}

}
