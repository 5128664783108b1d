package dev.bootcluster.primary;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary's pid file ({@code spring.pid.file}), which systemd follows across an
 * upgrade.
 */
class PidFileTests {

	private static final String PID = Long.toString(ProcessHandle.current().pid());

	@TempDir
	Path directory;

	@Test
	void writesThisPrimarysPidAndRemovesItAtTheEnd() {
		Path path = this.directory.resolve("run/app.pid");
		PidFile pidFile = new PidFile(path);
		pidFile.write();
		assertThat(path).hasContent(PID);
		pidFile.removeIfOwn();
		assertThat(path).doesNotExist();
	}

	@Test
	void replacesAnOldPrimarysPidAndLeavesANewPrimarysInPlace() throws Exception {
		Path path = this.directory.resolve("app.pid");
		Files.writeString(path, "4242");
		PidFile pidFile = new PidFile(path);
		pidFile.write();
		assertThat(path).hasContent(PID);
		Files.writeString(path, "4343");
		pidFile.removeIfOwn();
		assertThat(path).hasContent("4343");
	}

	@Test
	void withoutAPathDoesNothing() {
		PidFile pidFile = new PidFile(null);
		pidFile.write();
		pidFile.removeIfOwn();
		assertThat(this.directory).isEmptyDirectory();
	}

}
