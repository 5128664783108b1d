package dev.bootcluster.channel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.messaging.ClusterEvent;
import dev.bootcluster.messaging.ClusterListener;
import dev.bootcluster.messaging.ClusterMessageEvent;
import dev.bootcluster.messaging.ClusterMessaging;
import dev.bootcluster.messaging.ClusterTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.PayloadApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Workers' messaging over a real exchange and router: {@link ClusterTemplate} to
 * {@link ClusterListener} methods with payloads converted (text, bytes, JSON), replies,
 * {@link ClusterMessageEvent}s, and the errors a sender sees.
 */
class ClusterMessagingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private final List<ApplicationEventPublisher> publishers = new CopyOnWriteArrayList<>();

	private final List<ClusterTemplate> templates = new CopyOnWriteArrayList<>();

	private RoutedExchange routed;

	@BeforeEach
	void open() throws IOException {
		this.routed = RoutedExchange.open(this.directory);
	}

	@AfterEach
	void close() throws IOException {
		this.routed.close();
	}

	@Test
	void aRequestIsAnsweredWithWhatTheListenerReturnedConvertedFromJson() throws Exception {
		ClusterTemplate one = worker(1, new Object());
		worker(2, new Greeter());
		Greeting greeting = answer(one.request(2, "greet", new Person("Ada", 36), Greeting.class));
		assertThat(greeting).isEqualTo(new Greeting("Hello Ada (36) from 2"));
		assertThat(this.events).singleElement().isInstanceOfSatisfying(ClusterMessageEvent.class, (event) -> {
			assertThat(event.senderId()).isEqualTo(1);
			assertThat(event.topic()).isEqualTo("greet");
			assertThat(event.payloadAsString()).startsWith("{").contains("\"name\":\"Ada\"", "\"age\":36");
		});
	}

	@Test
	void textAndBytesArriveAsSentAndSendCompletesOnceHandled() throws Exception {
		ClusterTemplate one = worker(1, new Object());
		Greeter greeter = new Greeter();
		worker(2, greeter);
		answer(one.send(2, "text", "héllo"));
		answer(one.send(2, "bytes", new byte[] { 1, 2, 3 }));
		assertThat(greeter.received).containsExactly("text:héllo", "bytes:3");
		assertThat(answer(one.request(2, "upper", "abc", String.class))).isEqualTo("ABC");
	}

	@Test
	void aBroadcastReachesTheOthersOnly() throws Exception {
		Greeter self = new Greeter();
		ClusterTemplate one = worker(1, self);
		Greeter two = new Greeter();
		Greeter three = new Greeter();
		worker(2, two);
		worker(3, three);
		assertThat(answer(one.broadcast("text", "news"))).isEqualTo(2);
		await().atMost(TIMEOUT).until(() -> two.received.size() == 1 && three.received.size() == 1);
		assertThat(two.received).containsExactly("text:news");
		assertThat(three.received).containsExactly("text:news");
		assertThat(self.received).isEmpty();
	}

	@Test
	void aMessageOverTheMaximumSizeIsRefusedAtTheSender() {
		ClusterTemplate one = worker(1, new Object());
		worker(2, new Greeter());
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> answer(one.send(2, "text", new byte[1025])))
			.withMessage("A message of 1025 bytes on topic 'text' is over cluster.messaging.max-size (1024 bytes)");
	}

	@Test
	void aListenersFailureAndAnUnknownWorkerFailTheSender() {
		ClusterTemplate one = worker(1, new Object());
		worker(2, new Greeter());
		assertThatExceptionOfType(ExchangeException.class).isThrownBy(() -> answer(one.send(2, "fail", "x")))
			.withMessageContaining("listener of topic 'fail' failed")
			.withMessageContaining("refused x");
		assertThatExceptionOfType(ExchangeException.class).isThrownBy(() -> answer(one.send(9, "text", "x")))
			.withMessage("worker 9 is not in the cluster");
	}

	@Test
	void aClusterEventPublishedInOneWorkerIsPublishedOnceInEachOtherNeverEchoed() throws Exception {
		worker(1, new Object());
		worker(2, new Object());
		worker(3, new Object());
		this.events.clear();
		this.publishers.get(0).publishEvent(new PriceChanged("tea", 3));
		this.publishers.get(0).publishEvent("a local event, not for the cluster");
		await().atMost(TIMEOUT).until(() -> this.events.size() == 4);
		// the other workers' answers come after their listeners ran: give a late echo a
		// chance
		answer(this.templates.get(1).send(1, "none", ""));
		answer(this.templates.get(2).send(1, "none", ""));
		assertThat(this.events.stream().filter((event) -> !(event instanceof ClusterMessageEvent)))
			.containsExactlyInAnyOrder("1:" + new PriceChanged("tea", 3), "1:a local event, not for the cluster",
					"2:" + new PriceChanged("tea", 3), "3:" + new PriceChanged("tea", 3));
	}

	private ClusterTemplate worker(int id, Object listenerBean) {
		Exchange exchange = this.routed.connect(id, TIMEOUT);
		ClusterMessaging messaging = new ClusterMessaging();
		messaging.postProcessAfterInitialization(listenerBean, "listener");
		// as the context does: record the event, then call the listeners
		ApplicationEventPublisher publisher = (event) -> {
			this.events.add((event instanceof ClusterMessageEvent) ? event : id + ":" + event);
			if (!(event instanceof ApplicationEvent)) {
				messaging.onApplicationEvent(new PayloadApplicationEvent<>(this, event));
			}
		};
		this.publishers.add(publisher);
		ClusterTemplate template = messaging.start(() -> exchange, JsonMapper.builder().build(), publisher, 1024,
				getClass().getClassLoader());
		this.templates.add(template);
		// connected once the router answers this worker
		assertThatExceptionOfType(ExchangeException.class).isThrownBy(() -> answer(template.send(0, "probe", "")));
		return template;
	}

	private static <T> T answer(CompletableFuture<T> answer) {
		try {
			return answer.get(20, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw (RuntimeException) ex.getCause();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Person(String name, int age) {
	}

	record Greeting(String text) {
	}

	@ClusterEvent
	record PriceChanged(String item, int price) {
	}

	static class Greeter {

		final List<String> received = new CopyOnWriteArrayList<>();

		@ClusterListener("greet")
		Greeting greet(Person person) {
			return new Greeting("Hello " + person.name() + " (" + person.age() + ") from 2");
		}

		@ClusterListener("text")
		void text(String text) {
			this.received.add("text:" + text);
		}

		@ClusterListener("bytes")
		void bytes(byte[] bytes) {
			this.received.add("bytes:" + bytes.length);
		}

		@ClusterListener("upper")
		String upper(String text) {
			return text.toUpperCase(java.util.Locale.ROOT);
		}

		@ClusterListener("fail")
		void fail(String text) {
			throw new IllegalStateException("refused " + text);
		}

	}

}
