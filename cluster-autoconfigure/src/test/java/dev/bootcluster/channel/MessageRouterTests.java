package dev.bootcluster.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.bootcluster.primary.MessageRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The primary's {@link MessageRouter} over a real exchange: worker to worker with the
 * receiver's answer, in order, to all others and never back to the sender, and failures
 * for a worker that is not there or leaves before it answers.
 */
class MessageRouterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private RoutedExchange exchange;

	@BeforeEach
	void open() throws IOException {
		this.exchange = RoutedExchange.open(this.directory);
	}

	@AfterEach
	void close() throws IOException {
		this.exchange.close();
	}

	@Test
	void aMessageReachesItsWorkerWhoseAnswerIsTheReply() throws Exception {
		Exchange one = worker(1);
		Exchange two = worker(2);
		List<String> seen = new CopyOnWriteArrayList<>();
		two.onMessage((message, exchange) -> {
			seen.add(message.header(0) + ":" + message.header(1) + ":" + text(message.payload()));
			exchange.answer(message.reply(List.of(), bytes("pong " + text(message.payload()))));
		});
		awaitConnected(two);
		List<CompletableFuture<Frame>> answers = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			answers.add(one.request(MessageRouter.NAME, List.of("2", "ping"), bytes(Integer.toString(i))));
		}
		for (int i = 0; i < 50; i++) {
			assertThat(text(answer(answers.get(i)).payload())).isEqualTo("pong " + i);
		}
		assertThat(seen).hasSize(50);
		for (int i = 0; i < 50; i++) {
			assertThat(seen.get(i)).as("in the order sent").isEqualTo("1:ping:" + i);
		}
	}

	@Test
	void aBroadcastReachesEveryOtherWorkerButNotTheSender() throws Exception {
		Exchange one = worker(1);
		List<String> seen = new CopyOnWriteArrayList<>();
		List<Exchange> workers = List.of(one, worker(2), worker(3));
		for (Exchange worker : workers) {
			worker.onMessage((message, exchange) -> seen.add(message.header(0) + "->" + text(message.payload())));
		}
		workers.forEach(MessageRouterTests::awaitConnected);
		Frame answer = answer(one.request(MessageRouter.NAME, List.of(MessageRoutes.ALL_OTHERS, "news"), bytes("hi")));
		assertThat(answer.headers()).containsExactly("2");
		await().atMost(TIMEOUT).until(() -> seen.size() == 2);
		assertThat(seen).containsExactly("1->hi", "1->hi");
	}

	@Test
	void anAwaitedBroadcastIsAnsweredOnceEveryReceiverAnsweredNamingThoseThatFailed() throws Exception {
		Exchange one = worker(1);
		Exchange two = worker(2);
		Exchange three = worker(3);
		CompletableFuture<Frame> atTwo = new CompletableFuture<>();
		two.onMessage((message, exchange) -> atTwo.complete(message));
		three.onMessage((message, exchange) -> exchange.answer(message.failure("refused")));
		awaitConnected(two);
		awaitConnected(three);
		CompletableFuture<Frame> answer = one.request(MessageRouter.NAME,
				List.of(MessageRoutes.ALL_OTHERS, "evict", "8000"), bytes("k"));
		Frame message = atTwo.get(10, TimeUnit.SECONDS);
		assertThat(answer).as("not answered before worker 2 answers").isNotDone();
		two.answer(message.reply(List.of(), new byte[0]));
		assertThat(answer(answer).headers()).containsExactly("2", "3");
	}

	@Test
	void anAwaitedBroadcastNamesTheLateReceiversOnceTheWaitIsOverButNotThoseThatLeft() throws Exception {
		Exchange one = worker(1);
		Exchange two = worker(2);
		Exchange three = worker(3);
		Exchange four = worker(4);
		CompletableFuture<Frame> atFour = new CompletableFuture<>();
		two.onMessage((message, exchange) -> exchange.answer(message.reply(List.of(), new byte[0])));
		three.onMessage((message, exchange) -> {
			// never answers: late
		});
		four.onMessage((message, exchange) -> atFour.complete(message));
		List.of(two, three, four).forEach(MessageRouterTests::awaitConnected);
		long start = System.nanoTime();
		CompletableFuture<Frame> answer = one.request(MessageRouter.NAME,
				List.of(MessageRoutes.ALL_OTHERS, "evict", "300"), bytes("k"));
		atFour.get(10, TimeUnit.SECONDS);
		four.close();
		assertThat(answer(answer).headers()).containsExactly("3", "3");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered once the wait was over")
			.isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void anAwaitedBroadcastToNobodyIsAnsweredAtOnce() {
		Exchange one = worker(1);
		assertThat(
				answer(one.request(MessageRouter.NAME, List.of(MessageRoutes.ALL_OTHERS, "evict", "8000"), new byte[0]))
					.headers())
			.containsExactly("0", "");
	}

	@Test
	void aMessageToAWorkerNotThereFails() {
		Exchange one = worker(1);
		assertThatExceptionOfType(ExchangeException.class)
			.isThrownBy(() -> answer(one.request(MessageRouter.NAME, List.of("7", "ping"), new byte[0])))
			.withMessage("worker 7 is not in the cluster");
	}

	@Test
	void aMessageToAWorkerNotReadyFailsAndABroadcastLeavesItOut() throws Exception {
		Exchange one = worker(1);
		Exchange two = worker(2);
		List<String> seen = new CopyOnWriteArrayList<>();
		two.onMessage((message, exchange) -> seen.add(message.header(1)));
		awaitConnected(two);
		// all the test's workers share one pid: none is ready now (starting or draining)
		this.exchange.router().ready(List.of());
		assertThatExceptionOfType(ExchangeException.class)
			.isThrownBy(() -> answer(one.request(MessageRouter.NAME, List.of("2", "ping"), new byte[0])))
			.withMessage("worker 2 is not ready: starting, draining or gone");
		assertThat(answer(one.request(MessageRouter.NAME, List.of(MessageRoutes.ALL_OTHERS, "news"), new byte[0]))
			.headers()).containsExactly("0");
		assertThat(seen).isEmpty();
	}

	@Test
	void aMessageToAWorkerThatLeavesBeforeAnsweringFails() throws Exception {
		Exchange one = worker(1);
		Exchange two = worker(2);
		CompletableFuture<Frame> delivered = new CompletableFuture<>();
		two.onMessage((message, exchange) -> delivered.complete(message));
		awaitConnected(two);
		CompletableFuture<Frame> answer = one.request(MessageRouter.NAME, List.of("2", "ping"), new byte[0]);
		delivered.get(10, TimeUnit.SECONDS);
		two.close();
		assertThatExceptionOfType(ExchangeException.class).isThrownBy(() -> answer(answer))
			.withMessage("worker 2 left the cluster before it answered");
	}

	@Test
	void aReceiversFailureIsTheSendersFailure() throws Exception {
		Exchange one = worker(1);
		Exchange two = worker(2);
		two.onMessage((message, exchange) -> exchange.answer(message.failure("no listener for topic 'ping'")));
		awaitConnected(two);
		assertThatExceptionOfType(ExchangeException.class)
			.isThrownBy(() -> answer(one.request(MessageRouter.NAME, List.of("2", "ping"), new byte[0])))
			.withMessage("no listener for topic 'ping'");
	}

	private Exchange worker(int id) {
		return this.exchange.connect(id, TIMEOUT);
	}

	/**
	 * Waits until the primary routes to {@code worker}: its connection's reader registers
	 * it after the HELLO, before any request, so any answer to a request proves it.
	 */
	private static void awaitConnected(Exchange worker) {
		assertThatExceptionOfType(ExchangeException.class)
			.isThrownBy(() -> answer(worker.request(MessageRouter.NAME, List.of("0", "probe"), new byte[0])))
			.withMessage("worker 0 is not in the cluster");
	}

	private static Frame answer(CompletableFuture<Frame> answer) {
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
