package dev.bootcluster.sample.jetty;

import java.security.Principal;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's GET / on another server, to show the cluster works the same there.
 */
@SpringBootApplication
@RestController
public class JettySampleApplication {

	private final String worker;

	public JettySampleApplication(@Value("${cluster.worker.id:none}") String worker) {
		this.worker = worker;
	}

	@GetMapping("/")
	public Map<String, Object> greet(HttpServletRequest request) {
		return Map.of("worker", this.worker, "pid", ProcessHandle.current().pid(), "remote", request.getRemoteAddr(),
				"remotePort", request.getRemotePort(), "localPort", request.getLocalPort());
	}

	/** Who is logged in, and which worker says so: a login shared by every worker. */
	@GetMapping("/me")
	public Map<String, Object> me(Principal user) {
		return Map.of("worker", this.worker, "user", user.getName());
	}

	public static void main(String[] args) {
		SpringApplication.run(JettySampleApplication.class, args);
	}

}
