package dev.bootcluster.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /jobs/locked?ms=N} runs a task of N milliseconds under the ShedLock lock
 * {@code sample-locked}, as {@code @SchedulerLock} would: in a cluster the primary holds
 * the lock (the starter's {@code LockProvider}), so while one worker runs it, a call on
 * any worker answers {@code "ran": false}. Outside a cluster there is no
 * {@code LockProvider}: 404.
 */
@RestController
public class LockedTaskController {

	private final ObjectProvider<LockProvider> lockProvider;

	private final String worker;

	public LockedTaskController(ObjectProvider<LockProvider> lockProvider,
			@Value("${cluster.worker.id:none}") String worker) {
		this.lockProvider = lockProvider;
		this.worker = worker;
	}

	@PostMapping("/jobs/locked")
	public Map<String, Object> runLocked(@RequestParam(defaultValue = "1000") long ms,
			@RequestParam(defaultValue = "0") long leastMs) throws Throwable {
		LockProvider provider = this.lockProvider.getIfAvailable();
		if (provider == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No ShedLock LockProvider: not a cluster worker");
		}
		LockingTaskExecutor executor = new DefaultLockingTaskExecutor(provider);
		LockingTaskExecutor.TaskResult<Boolean> result = executor.executeWithLock(() -> {
			Thread.sleep(ms);
			return true;
		}, new LockConfiguration(Instant.now(), "sample-locked", Duration.ofMinutes(1), Duration.ofMillis(leastMs)));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("worker", this.worker);
		body.put("ran", result.wasExecuted());
		return body;
	}

}
