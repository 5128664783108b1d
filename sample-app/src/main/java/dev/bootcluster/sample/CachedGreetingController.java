package dev.bootcluster.sample;

import java.io.IOException;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Coherent caches: {@code GET /greeting/cached?name=ada} answers from this worker's
 * cache, {@code POST /greeting/cached?name=ada&word=hi} changes the greeting; right after
 * it returns, every worker answers the new one.
 */
@RestController
public class CachedGreetingController {

	private final String worker;

	private final GreetingBook book;

	public CachedGreetingController(@Value("${cluster.worker.id:none}") String worker, GreetingBook book) {
		this.worker = worker;
		this.book = book;
	}

	@GetMapping("/greeting/cached")
	Map<String, String> greeting(@RequestParam String name) throws IOException {
		return Map.of("worker", this.worker, "greeting", this.book.greeting(name));
	}

	@PostMapping("/greeting/cached")
	Map<String, String> update(@RequestParam String name, @RequestParam String word) throws IOException {
		return Map.of("worker", this.worker, "greeting", this.book.update(name, word));
	}

}
