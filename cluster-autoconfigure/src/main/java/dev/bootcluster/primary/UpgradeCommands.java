package dev.bootcluster.primary;

import java.util.List;

/**
 * The commands that upgrade this primary (see {@link Upgrade}), for the messages that ask
 * an operator to: when a reload brings workers of a starter version this primary cannot
 * serve, or of another version than its own.
 */
final class UpgradeCommands {

	/** The {@code cluster.ctl} option that asks for an upgrade. */
	static final String CTL_OPTION = "--cluster.ctl=upgrade";

	private UpgradeCommands() {
	}

	/**
	 * How to upgrade the primary with {@code pid} started by {@code launch} (what its
	 * command line launches): its signal, {@code cluster.ctl} and {@code endpoint}, the
	 * endpoint's upgrade operation as the application maps it.
	 */
	static String of(long pid, List<String> launch, String endpoint) {
		String ctl = (launch.size() >= 2 && launch.get(0).equals("-jar"))
				? "java -jar " + launch.get(1) + " " + CTL_OPTION : "the application's command with " + CTL_OPTION;
		return "kill -USR2 " + pid + ", " + ctl + ", or " + endpoint;
	}

	/**
	 * How to upgrade this primary, whose endpoint's upgrade operation is
	 * {@code endpoint}.
	 */
	static String current(String endpoint) {
		try {
			return of(ProcessHandle.current().pid(), JavaCommand.current().launch(), endpoint);
		}
		catch (RuntimeException ex) {
			return of(ProcessHandle.current().pid(), List.of(), endpoint);
		}
	}

}
