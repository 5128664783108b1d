package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The command line that started this JVM, split into the java executable, its JVM
 * options, and what it launches (a {@code -jar}, a main class or a module, with the
 * program's arguments). A worker is this command with extra JVM options put between the
 * two parts, so they win over the primary's own.
 */
record JavaCommand(String executable, List<String> jvmOptions, List<String> launch) {

	/** Launcher options whose value is the next argument. */
	private static final Set<String> OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
			"--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads",
			"--add-exports", "--add-opens", "--patch-module", "--enable-native-access", "--source");

	/** Options after which the rest of the line is what is launched. */
	private static final Set<String> LAUNCH_OPTIONS = Set.of("-jar", "-m", "--module");

	/**
	 * The command of the running JVM, from {@code /proc/self/cmdline} where there is one
	 * (exact, whatever the arguments contain), else from {@link ProcessHandle}.
	 */
	public static JavaCommand current() {
		Path cmdline = Path.of("/proc/self/cmdline");
		if (Files.isReadable(cmdline)) {
			try {
				String raw = Files.readString(cmdline, Charset.defaultCharset());
				List<String> parts = Arrays.asList(raw.split("\0"));
				return parse(parts.get(0), parts.subList(1, parts.size()));
			}
			catch (IOException ex) {
				// fall back to what the JDK can tell
			}
		}
		ProcessHandle.Info info = ProcessHandle.current().info();
		String executable = info.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String[] arguments = info.arguments()
			.orElseThrow(() -> new IllegalStateException("Cannot read this JVM's command line to start workers"));
		return parse(executable, Arrays.asList(arguments));
	}

	static JavaCommand parse(String executable, List<String> arguments) {
		List<String> options = new ArrayList<>();
		int i = 0;
		while (i < arguments.size()) {
			String argument = arguments.get(i);
			if (LAUNCH_OPTIONS.contains(argument) || !argument.startsWith("-")) {
				break;
			}
			options.add(argument);
			if (OPTIONS_WITH_VALUE.contains(argument) && i + 1 < arguments.size()) {
				options.add(arguments.get(++i));
			}
			i++;
		}
		return new JavaCommand(executable, List.copyOf(options), List.copyOf(arguments.subList(i, arguments.size())));
	}

	/** This command with {@code extraJvmOptions} added after the JVM's own options. */
	public List<String> with(List<String> extraJvmOptions) {
		List<String> command = new ArrayList<>();
		command.add(this.executable);
		command.addAll(this.jvmOptions);
		command.addAll(extraJvmOptions);
		command.addAll(this.launch);
		return command;
	}

}
