package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/**
 * The acceptor and its {@link Admission} on a stand-in listening socket: what happens
 * when accepting fails, or a connection cannot be set up.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdmissionTests {

	private final ServerSocketChannel server = mock(ServerSocketChannel.class);

	private final SelectionKey key = mock(SelectionKey.class);

	private final Admission admission = new Admission(10);

	private RelayLoop loop;

	private Thread loopThread;

	@BeforeEach
	void startLoop() {
		given(this.key.isValid()).willReturn(true);
		this.loop = new RelayLoop(new Routes(SchedulingPolicy.ROUND_ROBIN.scheduler()), Long.MAX_VALUE, Long.MAX_VALUE,
				this.admission, new CompletableFuture<>(), 16 * 1024);
		this.admission.acceptOn(this.loop, List.of(this.key));
		this.loopThread = new Thread(this.loop, "test-loop");
		this.loopThread.start();
	}

	@AfterEach
	void stopLoop() throws InterruptedException {
		this.loop.stop();
		this.loopThread.join(5000);
	}

	@Test
	void aConnectionThatCannotBeSetUpIsClosedAndUncounted() throws Exception {
		SocketChannel client = mock(SocketChannel.class);
		given(client.setOption(any(SocketOption.class), any())).willThrow(new SocketException("Invalid argument"));
		given(this.server.accept()).willReturn(client, (SocketChannel) null);
		acceptOnTheLoop();
		verify(client, timeout(5000)).close();
		assertThat(this.admission.openConnections()).isZero();
	}

	@Test
	void outOfFileDescriptorsPausesAcceptingWarnsOnceAndTriesAgain(CapturedOutput output) throws Exception {
		given(this.server.accept()).willThrow(new IOException("Too many open files"));
		acceptOnTheLoop();
		verify(this.key, timeout(5000)).interestOps(0);
		// tried again after 100 ms, failed again: paused again, with no second warning
		verify(this.key, timeout(5000)).interestOps(SelectionKey.OP_ACCEPT);
		acceptOnTheLoop();
		verify(this.key, timeout(5000).times(2)).interestOps(0);
		assertThat(output.getOut().lines().filter((line) -> line.contains("Out of file descriptors"))).hasSize(1);
		assertThat(this.admission.openConnections()).isZero();
	}

	@Test
	void atTheLimitAcceptingPausesUntilAConnectionCloses() throws Exception {
		Admission one = new Admission(1);
		one.acceptOn(this.loop, List.of(this.key));
		assertThat(one.tryAdmit()).isTrue();
		CompletableFuture<Boolean> second = new CompletableFuture<>();
		this.loop.execute(() -> second.complete(one.tryAdmit()));
		assertThat(second.get()).isFalse();
		verify(this.key, timeout(5000)).interestOps(0);
		verify(this.key, never()).interestOps(SelectionKey.OP_ACCEPT);
		one.release();
		verify(this.key, timeout(5000)).interestOps(SelectionKey.OP_ACCEPT);
	}

	private void acceptOnTheLoop() {
		Acceptor acceptor = new Acceptor(this.server, PortKind.SERVER, () -> this.loop, this.admission);
		this.loop.execute(() -> acceptor.ready(this.key));
	}

}
