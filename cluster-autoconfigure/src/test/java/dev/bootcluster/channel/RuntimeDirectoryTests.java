package dev.bootcluster.channel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeDirectoryTests {

	/** The pid of a process that has ended. */
	private static long deadPid;

	@TempDir
	Path root;

	@BeforeAll
	static void endAProcess() throws Exception {
		Process process = new ProcessBuilder("true").start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		deadPid = process.pid();
	}

	@Test
	void aDirectoryWhosePrimaryIsGoneAndWhoseSocketRefusesIsRemoved() throws IOException {
		Path dead = cluster("boot-cluster-1", deadPid);
		closedSocket(dead);
		Files.createFile(dead.resolve("worker-1-1.sock"));
		assertThat(RuntimeDirectory.removeAbandoned(this.root)).containsExactly(dead);
		assertThat(dead).doesNotExist();
	}

	@Test
	void aDirectoryWhosePrimaryIsGoneBeforeItsSocketExistedIsRemoved() throws IOException {
		Path dead = cluster("boot-cluster-1", deadPid);
		assertThat(RuntimeDirectory.removeAbandoned(this.root)).containsExactly(dead);
	}

	@Test
	void aDirectoryOfALivePrimaryIsKept() throws IOException {
		Path live = cluster("boot-cluster-1", ProcessHandle.current().pid());
		closedSocket(live);
		assertThat(RuntimeDirectory.removeAbandoned(this.root)).isEmpty();
		assertThat(live).isDirectory();
	}

	@Test
	void aDirectoryWhoseSocketStillAcceptsIsKeptWhateverItsPid() throws IOException {
		Path listening = cluster("boot-cluster-1", deadPid);
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(listening.resolve(RuntimeDirectory.CONTROL_SOCKET)));
			assertThat(RuntimeDirectory.removeAbandoned(this.root)).isEmpty();
		}
		assertThat(listening).isDirectory();
	}

	@Test
	void withoutAPidFileOnlyARefusingSocketProvesItDead() throws IOException {
		Path earlierVersion = Files.createDirectory(this.root.resolve("boot-cluster-1"));
		closedSocket(earlierVersion);
		Path starting = Files.createDirectory(this.root.resolve("boot-cluster-2"));
		assertThat(RuntimeDirectory.removeAbandoned(this.root)).containsExactly(earlierVersion);
		assertThat(starting).isDirectory();
	}

	@Test
	void otherDirectoriesAreLeftAlone() throws IOException {
		Path locks = Files.createDirectory(this.root.resolve("boot-cluster-" + System.getProperty("user.name")));
		Files.createFile(locks.resolve("os-port-8080.lock"));
		Path other = Files.createDirectory(this.root.resolve("other-1"));
		Files.writeString(other.resolve(RuntimeDirectory.PID_FILE), Long.toString(deadPid));
		assertThat(RuntimeDirectory.removeAbandoned(this.root)).isEmpty();
		assertThat(locks.resolve("os-port-8080.lock")).exists();
		assertThat(other).isDirectory();
	}

	@Test
	void aNewDirectoryIsPrivateAndHoldsThisPrimarysPid() throws IOException {
		Path dead = cluster("boot-cluster-1", deadPid);
		Path created = RuntimeDirectory.create(this.root, "test");
		assertThat(dead).doesNotExist();
		assertThat(created.getFileName().toString()).startsWith(RuntimeDirectory.PREFIX);
		assertThat(Files.getPosixFilePermissions(created)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(created.resolve(RuntimeDirectory.PID_FILE)).hasContent(Long.toString(ProcessHandle.current().pid()));
		RuntimeDirectory.delete(created);
		assertThat(created).doesNotExist();
	}

	private Path cluster(String name, long pid) throws IOException {
		Path directory = Files.createDirectory(this.root.resolve(name));
		Files.writeString(directory.resolve(RuntimeDirectory.PID_FILE), Long.toString(pid));
		return directory;
	}

	/**
	 * A control socket whose server has closed: the file stays, connections are refused.
	 */
	private static void closedSocket(Path directory) throws IOException {
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(directory.resolve(RuntimeDirectory.CONTROL_SOCKET)));
		}
		assertThat(directory.resolve(RuntimeDirectory.CONTROL_SOCKET)).exists();
	}

}
