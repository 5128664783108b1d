package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The signals the primary acts on that were ignored when its JVM started: HotSpot leaves
 * such a signal ignored, so a {@code kill -HUP} would do nothing, silently. {@code nohup}
 * ignores SIGHUP; a background job of a non-interactive shell ignores SIGINT. Read from
 * {@code SigIgn} in {@code /proc/self/status}, a hex mask with bit n-1 set for signal n.
 */
final class IgnoredSignals {

	private static final Log logger = LogFactory.getLog(IgnoredSignals.class);

	private static final Path STATUS = Path.of("/proc/self/status");

	/**
	 * The signals {@link Signals} handles, with what each does and what to use instead.
	 */
	enum Handled {

		HUP(1, "reload", "POST /actuator/cluster/reload"),

		INT(2, "stop", "SIGTERM"),

		TERM(15, "stop", "SIGINT"),

		TTIN(21, "add a worker", "POST /actuator/cluster/scale"),

		TTOU(22, "remove a worker", "POST /actuator/cluster/scale");

		private final int number;

		private final String action;

		private final String instead;

		Handled(int number, String action, String instead) {
			this.number = number;
			this.action = action;
			this.instead = instead;
		}

		@Override
		public String toString() {
			return "SIG" + name() + " (" + this.action + ": use " + this.instead + " instead)";
		}

	}

	private IgnoredSignals() {
	}

	/**
	 * Logs one WARN naming every handled signal this process ignores; silent where there
	 * is no procfs.
	 */
	static void warnIfAny() {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith("SigIgn:")) {
					List<Handled> ignored = decode(line.substring("SigIgn:".length()).trim());
					if (!ignored.isEmpty()) {
						logger.warn(message(ignored));
					}
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read which signals are ignored from " + STATUS, ex);
		}
	}

	/**
	 * The handled signals set in a {@code SigIgn} mask such as {@code 0000000000000001}.
	 */
	static List<Handled> decode(String hexMask) {
		long mask = Long.parseUnsignedLong(hexMask, 16);
		List<Handled> ignored = new ArrayList<>();
		for (Handled signal : Handled.values()) {
			if ((mask & (1L << (signal.number - 1))) != 0) {
				ignored.add(signal);
			}
		}
		return ignored;
	}

	static String message(List<Handled> ignored) {
		return "Ignored since this process started, so the cluster cannot act on "
				+ ((ignored.size() == 1) ? "it: " : "them: ")
				+ ignored.stream().map(Handled::toString).collect(Collectors.joining(", "))
				+ ". A process started with nohup ignores SIGHUP, a background job of a script SIGINT;"
				+ " start it in the foreground, under a process manager, or through"
				+ " 'env --default-signal=HUP,INT,TERM,TTIN,TTOU' to restore them";
	}

}
