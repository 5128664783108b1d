package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The lock a primary holds on each of its ports, against a holder in another process (the
 * {@code flock} command, standing for another primary).
 */
class PortLockTests {

	private PublicPort port;

	private Path file;

	private Process holder;

	@BeforeEach
	void holdTheLockInAnotherProcess() throws Exception {
		int free;
		try (ServerSocket socket = new ServerSocket(0)) {
			free = socket.getLocalPort();
		}
		this.port = new PublicPort(PortKind.SERVER, InetAddress.getLoopbackAddress(), free);
		this.file = PortLock.directory().resolve("port-" + free + ".lock");
		this.holder = new ProcessBuilder("flock", this.file.toString(), "sleep", "60").start();
		Files.writeString(this.file, Long.toString(this.holder.pid()));
		await("flock holding " + this.file).atMost(Duration.ofSeconds(30)).until(this::lockedByAnother);
	}

	@AfterEach
	void endTheHolder() throws Exception {
		this.holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		Files.deleteIfExists(this.file);
	}

	@Test
	void aPortLockedByAnotherClusterIsInUseAndTheErrorNamesItsPid() {
		assertThatExceptionOfType(PortInUseException.class).isThrownBy(() -> PortLock.take(this.port, null))
			.havingCause()
			.withMessageContaining("Another cluster (pid " + this.holder.pid() + ") serves port " + this.port.port());
	}

	@Test
	void aPortLockedByAnotherProcessThanThePredecessorIsInUse() {
		assertThatExceptionOfType(PortInUseException.class)
			.isThrownBy(() -> PortLock.take(this.port, this.holder.pid() + 1));
	}

	@Test
	void theNewPrimaryOfAnUpgradeTakesTheLockOnceThePredecessorHasExited() throws Exception {
		try (PortLock lock = PortLock.take(this.port, this.holder.pid())) {
			assertThat(read()).isEqualTo(Long.toString(this.holder.pid()));
			this.holder.destroy();
			await("the lock taken over").atMost(Duration.ofSeconds(30))
				.until(() -> read().equals(Long.toString(ProcessHandle.current().pid())));
		}
	}

	/**
	 * Whether another process holds the lock: {@code flock -n} fails where it would have
	 * to wait.
	 */
	private boolean lockedByAnother() throws Exception {
		return new ProcessBuilder("flock", "-n", this.file.toString(), "true").start().waitFor() != 0;
	}

	private String read() throws IOException {
		return Files.readString(this.file, StandardCharsets.UTF_8).trim();
	}

}
