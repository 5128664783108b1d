package dev.bootcluster.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Traffic of every HTTP/1.1 shape, for the front door to carry through reloads: a
 * server-sent event stream ({@code GET /events}) that this worker ends cleanly when it
 * shuts down, a chunked response ({@code GET /stream}), and an upload ({@code POST
 * /upload}, POST or PUT, with {@code Expect: 100-continue} or a chunked body) that is
 * counted.
 */
@RestController
public class StreamingController {

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	private final Set<SseEmitter> streams = ConcurrentHashMap.newKeySet();

	/**
	 * Sends {@code count} events, one each {@code ms} milliseconds, then ends the stream.
	 */
	@GetMapping("/events")
	public SseEmitter events(@RequestParam(defaultValue = "50") int count,
			@RequestParam(defaultValue = "100") long ms) {
		SseEmitter emitter = new SseEmitter(0L);
		this.streams.add(emitter);
		AtomicInteger sent = new AtomicInteger();
		ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
		task[0] = this.ticker.scheduleAtFixedRate(() -> {
			try {
				int n = sent.incrementAndGet();
				emitter.send(SseEmitter.event().id(Integer.toString(n)).data("tick " + n));
				if (n >= count) {
					emitter.complete();
				}
			}
			catch (IOException | IllegalStateException ex) {
				emitter.completeWithError(ex);
			}
			if (sent.get() >= count || !this.streams.contains(emitter)) {
				task[0].cancel(false);
			}
		}, 0, ms, TimeUnit.MILLISECONDS);
		emitter.onCompletion(() -> this.streams.remove(emitter));
		return emitter;
	}

	/**
	 * Ends every stream cleanly when this worker shuts down: its clients reconnect to
	 * another.
	 */
	@EventListener(ContextClosedEvent.class)
	void endStreams() {
		this.streams.forEach(SseEmitter::complete);
		this.streams.clear();
		this.ticker.shutdown();
	}

	/**
	 * A chunked response of {@code chunks} lines, one chunk each: written on the request
	 * thread, where each flush reaches the client. A {@code StreamingResponseBody} would
	 * not do: Spring Framework 7.0.6+ ignores flushes on its stream (one chunk at the
	 * end), and it commits the response on the task executor, which raced with Spring
	 * Security's header writing (see {@link SecurityConfiguration}).
	 */
	@GetMapping("/stream")
	public void stream(@RequestParam(defaultValue = "20") int chunks, HttpServletResponse response) throws IOException {
		response.setContentType("text/plain");
		OutputStream out = response.getOutputStream();
		for (int i = 1; i <= chunks; i++) {
			out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
	}

	/** Reads the request body, whatever its framing, and says how long it was. */
	@RequestMapping(path = "/upload", method = { RequestMethod.POST, RequestMethod.PUT })
	public Map<String, Object> upload(HttpServletRequest request) throws IOException {
		long bytes = 0;
		try (InputStream in = request.getInputStream()) {
			byte[] buffer = new byte[8192];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				bytes += read;
			}
		}
		return Map.of("bytes", bytes, "pid", ProcessHandle.current().pid());
	}

}
