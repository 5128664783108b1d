package dev.bootcluster.autoconfigure;

import java.util.List;

import dev.bootcluster.autoconfigure.IgnoredSignals.Handled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoredSignalsTests {

	@Test
	void noSignalIgnored() {
		assertThat(IgnoredSignals.decode("0000000000000000")).isEmpty();
	}

	@Test
	void bitNMinusOneIsSignalN() {
		// nohup: SIGHUP (1) is bit 0
		assertThat(IgnoredSignals.decode("0000000000000001")).containsExactly(Handled.HUP);
		// a background job of a script: SIGINT (2) and SIGQUIT (3), which the primary
		// does not handle
		assertThat(IgnoredSignals.decode("0000000000000006")).containsExactly(Handled.INT);
		// SIGTERM (15) is bit 14; SIGTTIN (21) and SIGTTOU (22) bits 20 and 21
		assertThat(IgnoredSignals.decode("0000000000304000")).containsExactly(Handled.TERM, Handled.TTIN, Handled.TTOU);
	}

	@Test
	void signalsThePrimaryDoesNotHandleAreLeftOut() {
		// SIGPIPE (13), SIGCHLD (17) and the highest real-time signal (64)
		assertThat(IgnoredSignals.decode("8000000000011000")).isEmpty();
	}

	@Test
	void theWarningNamesTheSignalWhyAndWhatToUseInstead() {
		assertThat(IgnoredSignals.message(List.of(Handled.HUP)))
			.contains("cannot act on it: SIGHUP (reload: use POST /actuator/cluster/reload instead)")
			.contains("nohup")
			.contains("background job");
		assertThat(IgnoredSignals.message(List.of(Handled.INT, Handled.HUP)))
			.contains("SIGINT (stop: use SIGTERM instead), SIGHUP")
			.contains("cannot act on them");
	}

}
