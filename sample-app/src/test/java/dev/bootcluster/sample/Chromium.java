package dev.bootcluster.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real headless Chromium (the Debian package {@code chromium}, which {@code .ci/run}
 * installs), driven over the DevTools protocol with the JDK's own WebSocket client: one
 * page, navigated, asked to evaluate JavaScript, photographed. Used from one test thread;
 * the WebSocket's listener completes the answers on the client's thread. {@link #close()}
 * kills the browser and every process it started.
 */
final class Chromium implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final Path profile;

	private final List<ProcessHandle> processes = new ArrayList<>();

	private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

	private final AtomicInteger ids = new AtomicInteger();

	private final WebSocket socket;

	private Chromium(Process process, Path profile) throws IOException {
		this.process = process;
		this.profile = profile;
		try {
			this.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create(pageSocket(devToolsPort(profile))), new Answers())
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			close();
			throw new IOException("Could not talk to Chromium over the DevTools protocol", ex);
		}
	}

	/** Starts a headless Chromium with a fresh profile, its window 1280 by 480. */
	static Chromium start() throws IOException {
		String executable = Stream.of("chromium", "chromium-browser")
			.filter(Chromium::onPath)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"No chromium on the PATH: this test needs a real browser (apt-get install chromium; .ci/run does)"));
		Path profile = Files.createTempDirectory("chromium-profile");
		// --no-sandbox: the CI machine runs as root, where Chromium's sandbox refuses to
		// start.
		Process process = new ProcessBuilder(executable, "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--window-size=1280,480",
				"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
				"about:blank")
			.redirectErrorStream(true)
			.redirectOutput(profile.resolve("chromium.log").toFile())
			.start();
		return new Chromium(process, profile);
	}

	/** Loads the page at this address and waits until its document is complete. */
	void navigate(String url) {
		send("Page.navigate", Map.of("url", url));
		awaitTrue("the page at " + url + " loaded",
				"location.href === " + JSON.writeValueAsString(url) + " && document.readyState === 'complete'",
				TIMEOUT);
	}

	/** The value of a JavaScript expression in the page (awaited if a promise). */
	JsonNode evaluate(String expression) {
		JsonNode answer = send("Runtime.evaluate",
				Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
		if (answer.has("exceptionDetails")) {
			throw new IllegalStateException("The page threw on " + expression + ": " + answer.get("exceptionDetails"));
		}
		return answer.path("result").path("value");
	}

	/**
	 * Polls a JavaScript expression until it is {@code true}; errors while the page
	 * navigates count as not yet.
	 */
	void awaitTrue(String description, String expression, Duration timeout) {
		await(description).atMost(timeout)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> evaluate(expression).asBoolean());
	}

	/** Forgets every cookie: the next page is seen by nobody in particular. */
	void clearCookies() {
		send("Network.clearBrowserCookies", Map.of());
	}

	/** A PNG of what the window shows, written to this file. */
	void screenshot(Path file) throws IOException {
		JsonNode answer = send("Page.captureScreenshot", Map.of("format", "png"));
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.write(file, Base64.getDecoder().decode(answer.path("data").asString()));
	}

	private JsonNode send(String method, Map<String, Object> params) {
		int id = this.ids.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.answers.put(id, answer);
		this.socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
			.join();
		JsonNode message = answer.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		if (message.has("error")) {
			throw new IllegalStateException(method + " failed: " + message.get("error"));
		}
		return message.path("result");
	}

	/** Kills Chromium and its helper processes, and deletes its profile. */
	@Override
	public void close() {
		// Chromium's renderers and zygote are its children: find them before they are
		// orphaned.
		this.process.descendants().forEach(this.processes::add);
		this.processes.add(this.process.toHandle());
		this.processes.forEach(ProcessHandle::destroyForcibly);
		this.processes.forEach((handle) -> handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
		try (Stream<Path> files = Files.walk(this.profile)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Chromium writes the port it chose to {@code DevToolsActivePort} in its profile. */
	private static int devToolsPort(Path profile) {
		Path file = profile.resolve("DevToolsActivePort");
		await("Chromium's DevToolsActivePort").atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> Files.exists(file) && !Files.readAllLines(file).isEmpty());
		try {
			return Integer.parseInt(Files.readAllLines(file).get(0).trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The DevTools WebSocket of the window's page. */
	private static String pageSocket(int port) throws IOException, InterruptedException {
		HttpResponse<String> targets = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
					HttpResponse.BodyHandlers.ofString());
		for (JsonNode target : JSON.readTree(targets.body())) {
			if ("page".equals(target.path("type").asString())) {
				return target.path("webSocketDebuggerUrl").asString();
			}
		}
		throw new IllegalStateException("Chromium has no page: " + targets.body());
	}

	private static boolean onPath(String command) {
		return Stream.of(System.getenv("PATH").split(":")).anyMatch((dir) -> Files.isExecutable(Path.of(dir, command)));
	}

	/** Completes each request's answer by its id; events are not needed. */
	private final class Answers implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				JsonNode message = JSON.readTree(this.text.toString());
				this.text.setLength(0);
				CompletableFuture<JsonNode> answer = Chromium.this.answers.remove(message.path("id").asInt(-1));
				if (answer != null) {
					answer.complete(message);
				}
			}
			webSocket.request(1);
			return null;
		}

	}

}
