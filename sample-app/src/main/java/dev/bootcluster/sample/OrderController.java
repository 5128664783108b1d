package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A request that must never run twice: {@code POST /orders?id=...} writes the order's id
 * (and the worker's pid) to {@code sample.orders-file} as it starts, then takes
 * {@code ms} milliseconds, like a payment would.
 */
@RestController
public class OrderController {

	private final String ordersFile;

	public OrderController(@Value("${sample.orders-file:}") String ordersFile) {
		this.ordersFile = ordersFile;
	}

	@PostMapping("/orders")
	@ResponseStatus(HttpStatus.CREATED)
	public Map<String, Object> order(@RequestParam String id, @RequestParam(defaultValue = "0") long ms)
			throws IOException, InterruptedException {
		long pid = ProcessHandle.current().pid();
		if (!this.ordersFile.isEmpty()) {
			// One short append per order: lines from several workers do not interleave.
			Files.writeString(Path.of(this.ordersFile), id + " " + pid + "\n", StandardCharsets.US_ASCII,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
		}
		Thread.sleep(ms);
		return Map.of("id", id, "pid", pid);
	}

}
