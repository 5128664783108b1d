package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay loop survives a failing handler or task, closing only the connection it was
 * for; a loop that dies anyway says so.
 */
class RelayLoopTests {

	private final CompletableFuture<Throwable> died = new CompletableFuture<>();

	private RelayLoop loop;

	private Thread thread;

	private ServerSocketChannel server;

	@BeforeEach
	void start() throws Exception {
		this.loop = new RelayLoop(new Routes(SchedulingPolicy.ROUND_ROBIN.scheduler()), Long.MAX_VALUE, Long.MAX_VALUE,
				new Admission(10), this.died, 16 * 1024);
		this.thread = new Thread(this.loop, "test-loop");
		this.thread.start();
		this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
	}

	@AfterEach
	void stop() throws Exception {
		this.loop.stop();
		this.thread.join(5000);
		this.server.close();
	}

	@Test
	void aHandlerThatThrowsClosesItsConnectionOnlyAndTheLoopGoesOn() throws Exception {
		SocketChannel failing = register((key) -> {
			throw new IllegalStateException("a bug in a handler");
		});
		CompletableFuture<String> healthy = new CompletableFuture<>();
		SocketChannel working = register((key) -> healthy.complete("read"));
		try (SocketChannel failingPeer = this.server.accept(); SocketChannel workingPeer = this.server.accept()) {
			failingPeer.write(ByteBuffer.wrap(new byte[] { 1 }));
			failingPeer.configureBlocking(true);
			assertThat(failingPeer.read(ByteBuffer.allocate(1))).as("closed by the loop").isEqualTo(-1);
			assertThat(failing.isOpen()).isFalse();
			workingPeer.write(ByteBuffer.wrap(new byte[] { 1 }));
			assertThat(healthy.get(5, TimeUnit.SECONDS)).isEqualTo("read");
			assertThat(working.isOpen()).isTrue();
			assertThat(this.thread.isAlive()).isTrue();
			assertThat(this.died).isNotDone();
		}
	}

	@Test
	void aTaskThatThrowsDoesNotStopTheLoop() throws Exception {
		this.loop.execute(() -> {
			throw new IllegalStateException("a bug in a task");
		});
		CompletableFuture<String> after = new CompletableFuture<>();
		this.loop.execute(() -> after.complete("ran"));
		assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo("ran");
		assertThat(this.died).isNotDone();
	}

	@Test
	void aLoopThatDiesAnywaySaysSo() throws Exception {
		Error fatal = new StackOverflowError("beyond any guard");
		this.loop.execute(() -> {
			throw fatal;
		});
		assertThat(this.died.get(5, TimeUnit.SECONDS)).isSameAs(fatal);
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.thread.isAlive());
	}

	@Test
	void aStoppedLoopHasNotDied() throws Exception {
		this.loop.stop();
		this.thread.join(5000);
		assertThat(this.thread.isAlive()).isFalse();
		assertThat(this.died).isNotDone();
	}

	/** A client connection to {@link #server}, read by {@code handler} on the loop. */
	private SocketChannel register(RelayLoop.Handler handler) throws Exception {
		SocketChannel channel = SocketChannel.open(this.server.getLocalAddress());
		channel.configureBlocking(false);
		CompletableFuture<Void> registered = new CompletableFuture<>();
		this.loop.execute(() -> {
			try {
				channel.register(this.loop.selector(), SelectionKey.OP_READ, handler);
				registered.complete(null);
			}
			catch (Exception ex) {
				registered.completeExceptionally(ex);
			}
		});
		registered.get(5, TimeUnit.SECONDS);
		return channel;
	}

}
