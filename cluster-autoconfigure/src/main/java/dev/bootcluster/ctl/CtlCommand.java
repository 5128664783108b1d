package dev.bootcluster.ctl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What the operator asked on the command line: {@code --cluster.ctl=<action>} with the
 * action's operand after it ({@code --cluster.ctl=restart 2}, or in the same argument,
 * {@code --cluster.ctl="restart 2"}), {@code --json} for JSON instead of a table or a
 * sentence, and {@code --pid=<primary pid>} to pick one of several clusters.
 */
record CtlCommand(Action action, int operand, boolean json, @Nullable Long pid) {

	static final String OPTION = "--cluster.ctl";

	static final String USAGE = """
			Usage: java -jar app.jar --cluster.ctl=<command> [--json] [--pid=<primary pid>]
			  status         every worker: id, pid, state, uptime, restarts, cpu, memory, connections, requests,
			                 starter version
			  reload         replace every worker, one at a time (a rolling reload)
			  restart <id>   replace one worker the same way
			  scale <n>      run n workers
			  upgrade        replace the primary too, from the jar now on disk (as SIGUSR2)
			  logs           where the workers' output goes (the cluster keeps none)
			  --json         print the answer as JSON (status: what the cluster endpoint answers)
			  --pid=<pid>    the cluster whose primary has this pid, when several run""";

	enum Action {

		STATUS, RELOAD, RESTART, SCALE, UPGRADE, LOGS;

		boolean takesOperand() {
			return this == RESTART || this == SCALE;
		}

	}

	/** Whether the command line asks for {@code cluster.ctl} at all. */
	static boolean isAsked(String[] args) {
		return Arrays.stream(args).anyMatch((arg) -> arg.equals(OPTION) || arg.startsWith(OPTION + "="));
	}

	/**
	 * Reads the command line of a {@code cluster.ctl} run.
	 * @throws UsageException naming what is wrong
	 */
	static CtlCommand parse(String[] args) {
		List<String> words = new ArrayList<>();
		boolean json = false;
		Long pid = null;
		for (String arg : args) {
			if (arg.startsWith(OPTION + "=")) {
				words.addAll(0, List.of(arg.substring(OPTION.length() + 1).trim().split("\\s+")));
			}
			else if (arg.equals("--json")) {
				json = true;
			}
			else if (arg.startsWith("--pid=")) {
				pid = number(arg.substring("--pid=".length()), "--pid");
			}
			else if (!arg.startsWith("--")) {
				words.add(arg);
			}
			else if (!arg.equals(OPTION)) {
				throw new UsageException("Unknown option '" + arg + "'");
			}
		}
		words.removeIf(String::isEmpty);
		if (words.isEmpty()) {
			throw new UsageException("No command");
		}
		Action action;
		try {
			action = Action.valueOf(words.get(0).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("Unknown command '" + words.get(0) + "'");
		}
		int expected = action.takesOperand() ? 2 : 1;
		if (words.size() != expected) {
			throw new UsageException("'" + words.get(0) + "' takes " + (expected - 1) + " argument(s), got "
					+ (words.size() - 1) + ": " + words.subList(1, words.size()));
		}
		int operand = action.takesOperand() ? Math.toIntExact(number(words.get(1), words.get(0))) : 0;
		return new CtlCommand(action, operand, json, pid);
	}

	private static long number(String text, String of) {
		try {
			long value = Long.parseLong(text);
			if (value > 0 && value <= Integer.MAX_VALUE) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// said below
		}
		throw new UsageException("'" + of + "' takes a whole number from 1, not '" + text + "'");
	}

	/** A command line that asks nothing {@code cluster.ctl} can do. */
	static final class UsageException extends IllegalArgumentException {

		UsageException(String message) {
			super(message);
		}

	}

}
