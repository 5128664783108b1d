package dev.bootcluster.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Says which worker answered, so that a client can see the cluster at work.
 */
@RestController
public class GreetingController {

	private final String worker;

	private final String greeting;

	public GreetingController(@Value("${cluster.worker.id:none}") String worker,
			@Value("${sample.greeting:hello}") String greeting) {
		this.worker = worker;
		this.greeting = greeting;
	}

	@GetMapping("/")
	public Map<String, Object> greet() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("worker", this.worker);
		body.put("pid", ProcessHandle.current().pid());
		body.put("greeting", this.greeting);
		return body;
	}

	/** Answers after {@code ms} milliseconds: a request that is in flight long enough to watch a drain. */
	@GetMapping("/slow")
	public Map<String, Object> slow(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
		Thread.sleep(ms);
		return greet();
	}

}
