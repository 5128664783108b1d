package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request framing as RFC 9112 §6 defines it, and the classic request-smuggling cases,
 * each fed whole, split at every byte boundary, and one byte at a time: the outcome must
 * not depend on how the bytes arrive.
 */
class RequestFramingTests {

	private static final String CHUNKED_BODY = "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n";

	static Stream<Arguments> requests() {
		return Stream.of(
				// RFC 9112 §6.3: no Content-Length and no Transfer-Encoding: no body.
				Arguments.of("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET:0"),
				Arguments.of("GET / HTTP/1.0\r\n\r\n", "GET:0 close"),
				Arguments.of("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", "GET:0 close"),
				Arguments.of("POST /orders HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "POST:5"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length:  5 \r\n\r\nhello", "POST:5"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", "POST:5"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "POST:0"),
				Arguments.of("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", "POST:5"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + CHUNKED_BODY,
						"POST:" + CHUNKED_BODY.length()),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n", "POST:5"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding:\tgzip, chunked\r\n\r\n0\r\n\r\n", "POST:5"),
				Arguments.of(
						"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
						"POST:5"),
				// Pipelined requests, each found at its boundary.
				Arguments
					.of("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcHEAD /c HTTP/1.1\r\n\r\n"
							+ "PUT /d HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nDELETE /e HTTP/1.1\r\n\r\n",
							"GET:0 POST:3 HEAD:0 PUT:11 DELETE:0"),
				Arguments.of("GET / HTTP/1.1\r\nHost: a\r\n", "GET…"),
				// CL.TE and TE.CL: both framings at once (RFC 9112 §6.1).
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
						"BAD"),
				Arguments.of(
						"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
						"BAD"),
				// TE.TE obfuscations.
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n",
						"BAD"),
				Arguments.of(
						"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
						"BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nX: y\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
						"BAD"),
				Arguments.of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "BAD"),
				// Content-Length that two parsers could read differently.
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\nhello", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\nhello", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nhello", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello", "BAD"),
				// Other malformed heads.
				Arguments.of("GET / HTTP/1.1\r\nHost: a\nContent-Length: 5\r\n\r\nhello", "BAD"),
				Arguments.of("GET / HTTP/1.1\r\nHost: a\rContent-Length: 5\r\n\r\nhello", "BAD"),
				Arguments.of("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", "BAD"),
				Arguments.of("GET / HTTP/1.1\r\nX-Big: " + "x".repeat(1100) + "\r\n\r\n", "BAD"),
				// Bad chunk framing.
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff0\r\n", "BAD"),
				Arguments.of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", "BAD"),
				// Not HTTP/1.x: relayed as bytes, never read again.
				Arguments
					.of("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003GET / HTTP/1.1\r\n\r\n", "PIPE"),
				Arguments.of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nGET / HTTP/1.1\r\n\r\n", "PIPE"),
				Arguments.of(
						"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET / HTTP/1.1\r\n\r\n",
						"PIPE"),
				Arguments.of("CONNECT a:443 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n", "PIPE"),
				Arguments.of("GET / HTTP/1.1\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n", "GET:0 PIPE"),
				Arguments.of("GET /a b HTTP/1.1\r\n\r\n", "PIPE"));
	}

	@ParameterizedTest
	@MethodSource("requests")
	void framesRequestsTheSameHoweverTheBytesArrive(String stream, String expected) {
		byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
		for (int[] splits : ByteSplits.of(bytes.length)) {
			assertThat(frame(bytes, splits)).as(ByteSplits.describe(splits)).isEqualTo(expected);
		}
	}

	/** The requests found: METHOD:bodyBytes each, then how the stream ends. */
	private static String frame(byte[] bytes, int[] splits) {
		RequestFraming framing = new RequestFraming(1024);
		List<String> found = new ArrayList<>();
		String method = null;
		long body = 0;
		boolean close = false;
		for (ByteBuffer data : ByteSplits.reads(bytes, splits)) {
			while (data.hasRemaining()) {
				int position = data.position();
				RequestFraming.Step step = framing.advance(data);
				if (step == RequestFraming.Step.BAD) {
					found.add("BAD");
					return String.join(" ", found);
				}
				if (framing.isPipe()) {
					found.add("PIPE");
					return String.join(" ", found);
				}
				if (step == RequestFraming.Step.HEAD) {
					HeadReader head = framing.head();
					ByteBuffer buffer = head.head();
					int end = head.start();
					while (buffer.get(end) != ' ') {
						end++;
					}
					byte[] name = new byte[end - head.start()];
					buffer.get(head.start(), name);
					method = new String(name, StandardCharsets.US_ASCII);
					close |= framing.asksToClose();
					head.release();
					body = 0;
				}
				else if (step == RequestFraming.Step.BODY) {
					body += data.position() - position;
				}
				if (framing.atStart() && method != null) {
					found.add(method + ":" + body);
					method = null;
				}
			}
		}
		if (method != null || !framing.atStart()) {
			found.add((method != null) ? method + "…" : "GET…");
		}
		if (close) {
			found.add("close");
		}
		return String.join(" ", found);
	}

}
