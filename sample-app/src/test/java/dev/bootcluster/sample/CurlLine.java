package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A README {@code curl} line, sent as curl would send it: {@code curl [-u user:password]
 * [-X METHOD] localhost:8080/path}, nothing else (an option this does not know fails, so
 * the README cannot show a line the test does not run as written). The request goes to
 * the port the test's cluster serves instead of 8080, with {@link Http} (no curl needed
 * on the machine). Immutable.
 */
final class CurlLine {

	private static final String HOST = "localhost:8080";

	private final String method;

	private final String path;

	private final String headers;

	private CurlLine(String method, String path, String headers) {
		this.method = method;
		this.path = path;
		this.headers = headers;
	}

	static CurlLine parse(String line) {
		List<String> words = List.of(line.strip().split("\\s+"));
		if (!words.get(0).equals("curl")) {
			throw new AssertionError("Not a curl line: " + line);
		}
		String method = "GET";
		String headers = "";
		String url = null;
		for (int i = 1; i < words.size(); i++) {
			String word = words.get(i);
			if ((word.equals("-X") || word.equals("-u")) && i + 1 < words.size()) {
				String value = words.get(++i);
				if (word.equals("-X")) {
					method = value;
				}
				else {
					// curl -u sends the credentials with the first request (basic)
					headers = "Authorization: Basic "
							+ Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\r\n";
				}
			}
			else if (word.startsWith(HOST + "/") && url == null) {
				url = word;
			}
			else {
				throw new AssertionError(
						"'" + word + "' in '" + line + "': not an option QuickStartIT runs as curl does");
			}
		}
		if (url == null) {
			throw new AssertionError("No " + HOST + "/… URL in " + line);
		}
		return new CurlLine(method, url.substring(HOST.length()), headers);
	}

	/** The same request without {@code -u}. */
	CurlLine withoutCredentials() {
		return new CurlLine(this.method, this.path, "");
	}

	boolean hasCredentials() {
		return !this.headers.isEmpty();
	}

	boolean isGet() {
		return this.method.equals("GET");
	}

	Http.Response send(int port) throws IOException {
		return Http.request(port, this.method, this.path, this.headers);
	}

}
