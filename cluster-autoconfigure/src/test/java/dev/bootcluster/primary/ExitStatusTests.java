package dev.bootcluster.primary;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExitStatusTests {

	@Test
	void signalsAreNamed() {
		assertThat(ExitStatus.describe(137)).isEqualTo("was killed by signal 9 (SIGKILL)");
		assertThat(ExitStatus.describe(143)).isEqualTo("was killed by signal 15 (SIGTERM)");
	}

	@Test
	void plainCodesAreCodes() {
		assertThat(ExitStatus.describe(1)).isEqualTo("exited with code 1");
		assertThat(ExitStatus.describe(0)).isEqualTo("exited with code 0");
	}

	@Test
	void aStopAfterTermOrIntIsClean() {
		assertThat(ExitStatus.isCleanStop(0)).isTrue();
		assertThat(ExitStatus.isCleanStop(143)).isTrue();
		assertThat(ExitStatus.isCleanStop(130)).isTrue();
		assertThat(ExitStatus.isCleanStop(137)).isFalse();
		assertThat(ExitStatus.isCleanStop(1)).isFalse();
	}

}
