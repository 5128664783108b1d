package dev.bootcluster.frontdoor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		String classes = Path.of(Holder.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		this.holder = new ProcessBuilder(java, "-cp", classes, Holder.class.getName(), this.file.toString())
			.redirectErrorStream(true)
			.start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.holder.getInputStream(), StandardCharsets.UTF_8))) {
			assertThat(output.readLine()).as("the holder").isEqualTo("locked");
		}
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

	private String read() throws IOException {
		return Files.readString(this.file, StandardCharsets.UTF_8).trim();
	}

	/**
	 * Holds the lock on the file named by its argument, as a primary does, and writes its
	 * pid there; says {@code locked}, then waits to be killed.
	 */
	static final class Holder {

		public static void main(String[] args) throws Exception {
			FileChannel file = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			file.lock();
			file.truncate(0).write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes()), 0);
			System.out.println("locked");
			Thread.sleep(Duration.ofMinutes(2).toMillis());
		}

	}

}
