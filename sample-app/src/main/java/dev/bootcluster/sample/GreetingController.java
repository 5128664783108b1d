package dev.bootcluster.sample;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Says which worker answered, so that a client can see the cluster at work.
 */
@RestController
public class GreetingController {

	private static final Log logger = LogFactory.getLog(GreetingController.class);

	private final String worker;

	private final String workers;

	private final String greeting;

	public GreetingController(@Value("${cluster.worker.id:none}") String worker,
			@Value("${cluster.worker.count:1}") String workers, @Value("${sample.greeting:hello}") String greeting) {
		this.worker = worker;
		this.workers = workers;
		this.greeting = greeting;
	}

	@GetMapping("/")
	public Map<String, Object> greet(HttpServletRequest request) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("worker", this.worker);
		body.put("workers", this.workers);
		body.put("pid", ProcessHandle.current().pid());
		body.put("greeting", this.greeting);
		body.put("remote", request.getRemoteAddr());
		body.put("remotePort", request.getRemotePort());
		body.put("localPort", request.getLocalPort());
		return body;
	}

	/** Who is logged in, and which worker says so: a login shared by every worker. */
	@GetMapping("/me")
	public Map<String, Object> me(Principal user) {
		return Map.of("worker", this.worker, "user", user.getName());
	}

	/**
	 * Answers after {@code ms} milliseconds: a request that is in flight long enough to
	 * watch a drain.
	 */
	@GetMapping("/slow")
	public Map<String, Object> slow(@RequestParam(defaultValue = "1000") long ms, HttpServletRequest request)
			throws InterruptedException {
		logger.info("Slow request started: answering in " + ms + " ms");
		Thread.sleep(ms);
		return greet(request);
	}

}
