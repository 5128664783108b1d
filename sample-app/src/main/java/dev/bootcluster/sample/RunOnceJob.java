package dev.bootcluster.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bootcluster.scheduling.ClusterSingleton;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code sample.jobs.file=/path} gives the app a run-once job: every 500 ms, in one
 * worker of the cluster at a time, it appends a line (worker id, pid, time in
 * milliseconds) to that file. {@code GET /jobs/last-run} shows the file's last line,
 * whichever worker answers.
 */
@RestController
@ConditionalOnProperty("sample.jobs.file")
@EnableScheduling
public class RunOnceJob {

	private final Path file;

	private final String worker;

	public RunOnceJob(@Value("${sample.jobs.file}") Path file, @Value("${cluster.worker.id:none}") String worker) {
		this.file = file;
		this.worker = worker;
	}

	@Scheduled(fixedDelay = 500)
	@ClusterSingleton("sample-job")
	void appendLine() throws IOException {
		String line = this.worker + " " + ProcessHandle.current().pid() + " " + System.currentTimeMillis() + "\n";
		Files.writeString(this.file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	@GetMapping("/jobs/last-run")
	public Map<String, Object> lastRun() {
		Map<String, Object> body = new LinkedHashMap<>();
		List<String> lines = lines();
		if (!lines.isEmpty()) {
			String[] last = lines.get(lines.size() - 1).split(" ");
			body.put("worker", last[0]);
			body.put("pid", Long.parseLong(last[1]));
			body.put("at", Long.parseLong(last[2]));
		}
		body.put("runs", lines.size());
		return body;
	}

	private List<String> lines() {
		try {
			return Files.exists(this.file) ? Files.readAllLines(this.file, StandardCharsets.UTF_8) : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
