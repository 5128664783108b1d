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
 * Response framing as RFC 9112 §6.3 defines it, matched to the requests sent, each fed
 * whole, split at every byte boundary, and one byte at a time.
 */
class ResponseFramingTests {

	static Stream<Arguments> responses() {
		return Stream.of(Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "200:5"),
				Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "200:0"),
				// 1xx is not an answer: the final response follows.
				Arguments.of("POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
						"100 201:2"),
				Arguments.of("POST",
						"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
						"103 200:0"),
				// No body, whatever the length says: HEAD, 204, 304.
				Arguments.of("HEAD GET",
						"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
						"200:0 200:1"),
				Arguments.of("GET GET",
						"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
						"204:0 304:0"),
				Arguments.of("GET",
						"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
						"200:21"),
				Arguments.of("GET GET",
						"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n0\r\n\r\n"
								+ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
						"200:5 200:1"),
				// Delimited by the close: HTTP/1.0 or no length, or a coding other than
				// chunked last.
				Arguments.of("GET", "HTTP/1.0 200 OK\r\n\r\nuntil the end", "200… until-close close"),
				Arguments.of("GET", "HTTP/1.1 200 OK\r\n\r\nuntil the end", "200… until-close"),
				Arguments.of("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", "200… until-close"),
				Arguments.of("GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
						"200:1 close"),
				Arguments.of("GET", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", "200:1"),
				// Switching protocols, or not HTTP/1.x: a pipe.
				Arguments.of("GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0000",
						"PIPE"),
				Arguments.of("GET", "SSH-2.0-OpenSSH\r\n\r\n", "PIPE"),
				Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx", "PIPE"),
				Arguments.of("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", "PIPE"));
	}

	@ParameterizedTest
	@MethodSource("responses")
	void framesResponsesTheSameHoweverTheBytesArrive(String methods, String stream, String expected) {
		byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
		for (int[] splits : ByteSplits.of(bytes.length)) {
			assertThat(frame(methods, bytes, splits)).as(ByteSplits.describe(splits)).isEqualTo(expected);
		}
	}

	/**
	 * The responses found: interim status, or status:bodyBytes each, then how the stream
	 * ends.
	 */
	private static String frame(String methods, byte[] bytes, int[] splits) {
		ResponseFraming framing = new ResponseFraming(1024);
		for (String method : methods.split(" ")) {
			framing.requestSent(method.equals("HEAD"));
		}
		List<String> found = new ArrayList<>();
		String status = null;
		long body = 0;
		boolean close = false;
		for (ByteBuffer data : ByteSplits.reads(bytes, splits)) {
			while (data.hasRemaining()) {
				int position = data.position();
				ResponseFraming.Step step = framing.advance(data);
				if (framing.isPipe()) {
					found.add("PIPE");
					return String.join(" ", found);
				}
				if (step == ResponseFraming.Step.INTERIM || step == ResponseFraming.Step.HEAD) {
					HeadReader head = framing.head();
					byte[] code = new byte[3];
					head.head().get(head.start() + 9, code);
					head.release();
					if (step == ResponseFraming.Step.INTERIM) {
						found.add(new String(code, StandardCharsets.US_ASCII));
						continue;
					}
					status = new String(code, StandardCharsets.US_ASCII);
					close |= framing.closeAfter();
					body = 0;
				}
				else if (step == ResponseFraming.Step.BODY) {
					body += data.position() - position;
				}
				if (!framing.answering() && status != null) {
					found.add(status + ":" + body);
					status = null;
				}
			}
		}
		if (status != null) {
			found.add(status + "…");
		}
		if (framing.endsWithInput()) {
			found.add("until-close");
		}
		if (close) {
			found.add("close");
		}
		assertThat(framing.outstanding())
			.isEqualTo(methods.split(" ").length - (int) found.stream().filter((entry) -> entry.contains(":")).count());
		return String.join(" ", found);
	}

}
