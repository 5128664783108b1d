package dev.bootcluster.test.app;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The smallest clustered web app: {@code GET /} says which JVM answered. */
@SpringBootApplication
@RestController
public class ClusterTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(ClusterTestApplication.class, args);
	}

	@GetMapping("/")
	Map<String, Object> whoAnswered() {
		return Map.of("pid", ProcessHandle.current().pid());
	}

}
