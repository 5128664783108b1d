package dev.bootcluster.primary;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads a worker's exit value the way the JDK reports it on Unix: 128 + N when signal N
 * ended the process.
 */
final class ExitStatus {

	private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL", 6,
			"SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

	private ExitStatus() {
	}

	/**
	 * Exit values of a JVM that stopped normally, or after the SIGTERM or SIGINT that
	 * asked it to.
	 */
	static boolean isCleanStop(int exitValue) {
		return exitValue == 0 || exitValue == 128 + 15 || exitValue == 128 + 2;
	}

	/** The name of the signal that ended the process, or {@code null} if none did. */
	static @Nullable String signal(int exitValue) {
		int signal = exitValue - 128;
		return (signal > 0 && signal < 32) ? SIGNALS.getOrDefault(signal, "SIG" + signal) : null;
	}

	static String describe(int exitValue) {
		int signal = exitValue - 128;
		if (signal > 0 && signal < 32) {
			return "was killed by signal " + signal + " (" + SIGNALS.getOrDefault(signal, "SIG" + signal) + ")";
		}
		return "exited with code " + exitValue;
	}

}
