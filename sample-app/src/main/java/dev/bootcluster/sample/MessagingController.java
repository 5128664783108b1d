package dev.bootcluster.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.bootcluster.messaging.ClusterListener;
import dev.bootcluster.messaging.ClusterTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Workers talking to each other: {@code POST /ask/{id}} asks worker {@code id} for a
 * greeting, {@code POST /broadcast} sends news to every other worker,
 * {@code POST /announce} publishes an {@link Announcement} for the whole cluster, and
 * {@code GET /received} shows what this worker got.
 */
@RestController
public class MessagingController {

	private final String worker;

	private final ObjectProvider<ClusterTemplate> template;

	private final ApplicationEventPublisher publisher;

	private final List<String> news = new CopyOnWriteArrayList<>();

	private final List<String> announcements = new CopyOnWriteArrayList<>();

	public MessagingController(@Value("${cluster.worker.id:none}") String worker,
			ObjectProvider<ClusterTemplate> template, ApplicationEventPublisher publisher) {
		this.worker = worker;
		this.template = template;
		this.publisher = publisher;
	}

	@PostMapping("/ask/{id}")
	ResponseEntity<Map<String, String>> ask(@PathVariable int id, @RequestParam String name)
			throws InterruptedException, TimeoutException {
		try {
			String reply = this.template.getObject().request(id, "greet", name, String.class).get(30, TimeUnit.SECONDS);
			return ResponseEntity.ok(Map.of("worker", this.worker, "reply", String.valueOf(reply)));
		}
		catch (ExecutionException ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.body(Map.of("worker", this.worker, "error", String.valueOf(ex.getCause().getMessage())));
		}
	}

	@ClusterListener("greet")
	String greet(String name) {
		return "hello " + name + " from worker " + this.worker;
	}

	@PostMapping("/broadcast")
	Map<String, Object> broadcast(@RequestParam String text) throws Exception {
		int workers = this.template.getObject().broadcast("news", text).get(30, TimeUnit.SECONDS);
		return Map.of("worker", this.worker, "sentTo", workers);
	}

	@ClusterListener("news")
	void news(String text) {
		this.news.add(text);
	}

	@PostMapping("/announce")
	Map<String, String> announce(@RequestParam String text) {
		this.publisher.publishEvent(new Announcement(text));
		return Map.of("worker", this.worker);
	}

	@EventListener
	void announced(Announcement announcement) {
		this.announcements.add(announcement.text());
	}

	@GetMapping("/received")
	Map<String, Object> received() {
		return Map.of("worker", this.worker, "news", this.news, "announcements", this.announcements);
	}

}
