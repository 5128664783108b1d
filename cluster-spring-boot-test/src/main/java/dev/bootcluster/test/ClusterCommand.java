package dev.bootcluster.test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line that starts an app as a cluster: which app (a jar, a class path and main
 * class, or {@code mvn spring-boot:run}), its JVM options, its {@code --property=value}
 * arguments, its environment and working directory. {@code --server.port=0} unless a port
 * is given; {@code --cluster.worker.ready-timeout} as long as
 * {@link ClusterProcess#READY_TIMEOUT} unless one is given;
 * {@link ClusterProcess#JVM_OPTIONS} unless other options are given. <pre>
 * ClusterCommand.jar(jar).workers(2).property("cluster.worker.heartbeat-timeout", "3s").start("hung")
 * </pre> Not thread-safe: built and started on the test's thread.
 */
public final class ClusterCommand {

	private enum Launch {

		JAR, CLASS_PATH, SPRING_BOOT_RUN

	}

	private static final String READY_TIMEOUT = "cluster.worker.ready-timeout";

	private final Launch launch;

	/** The jar, the class path, or the Maven module, by launch. */
	private final String target;

	private final String mainClass;

	private List<String> jvmOptions = ClusterProcess.JVM_OPTIONS;

	private final List<String> arguments = new ArrayList<>();

	private final Map<String, String> environment = new LinkedHashMap<>();

	private Path directory;

	private ClusterCommand(Launch launch, String target, String mainClass) {
		this.launch = launch;
		this.target = target;
		this.mainClass = mainClass;
	}

	/** {@code java -jar <jar>}. */
	public static ClusterCommand jar(Path jar) {
		return new ClusterCommand(Launch.JAR, jar.toAbsolutePath().toString(), null);
	}

	/** {@code java -cp <classPath> <mainClass>}. */
	public static ClusterCommand classPath(String classPath, String mainClass) {
		return new ClusterCommand(Launch.CLASS_PATH, classPath, mainClass);
	}

	/**
	 * {@code mvn spring-boot:run} of {@code module} in the Maven project at {@code root}
	 * (offline, building the modules it needs first), the JVM options and arguments
	 * passed as the plugin's {@code jvmArguments} and {@code arguments}.
	 */
	public static ClusterCommand springBootRun(Path root, String module) {
		return new ClusterCommand(Launch.SPRING_BOOT_RUN, module, null).directory(root);
	}

	/** {@code --cluster.workers=<count>}. */
	public ClusterCommand workers(int count) {
		return property("cluster.workers", Integer.toString(count));
	}

	/** {@code --<name>=<value>}. */
	public ClusterCommand property(String name, String value) {
		return arguments("--" + name + "=" + value);
	}

	/** Program arguments as written ({@code --name=value}, mostly). */
	public ClusterCommand arguments(String... arguments) {
		this.arguments.addAll(List.of(arguments));
		return this;
	}

	/**
	 * The JVM options, instead of the default ones ({@link ClusterProcess#JVM_OPTIONS}).
	 */
	public ClusterCommand jvmOptions(String... options) {
		this.jvmOptions = List.of(options);
		return this;
	}

	/** An environment variable, on top of the test's own environment. */
	public ClusterCommand env(String name, String value) {
		this.environment.put(name, value);
		return this;
	}

	/** The working directory (the test's own by default). */
	public ClusterCommand directory(Path directory) {
		this.directory = directory;
		return this;
	}

	/** The command line as {@link ProcessBuilder} takes it. */
	public List<String> command() {
		List<String> jvm = this.jvmOptions;
		List<String> args = new ArrayList<>();
		if (this.arguments.stream().noneMatch((argument) -> argument.startsWith("--server.port="))) {
			args.add("--server.port=0");
		}
		// A loaded machine may take longer than the primary's default minute to boot a
		// worker; the test's own deadline is the one to fail on.
		if (this.arguments.stream().noneMatch((argument) -> argument.startsWith("--" + READY_TIMEOUT + "="))) {
			args.add("--" + READY_TIMEOUT + "=" + ClusterProcess.READY_TIMEOUT.toSeconds() + "s");
		}
		args.addAll(this.arguments);
		List<String> command = new ArrayList<>();
		switch (this.launch) {
			case JAR -> {
				command.addAll(ClusterProcess.java());
				command.addAll(jvm);
				command.addAll(List.of("-jar", this.target));
				command.addAll(args);
			}
			case CLASS_PATH -> {
				command.addAll(ClusterProcess.java());
				command.addAll(jvm);
				command.addAll(List.of("-cp", this.target, this.mainClass));
				command.addAll(args);
			}
			case SPRING_BOOT_RUN -> {
				Path mvn = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn");
				command.addAll(List.of(mvn.toString(), "-o", "-q", "-B", "-pl", this.target, "-am", "compile",
						"spring-boot:run", "-Dspring-boot.run.arguments=" + String.join(" ", args),
						"-Dspring-boot.run.jvmArguments=" + String.join(" ", jvm)));
			}
		}
		return command;
	}

	/** Starts it; its output goes to {@code target/it-logs/<name>.log}. */
	public ClusterProcess start(String name) throws IOException {
		return ClusterProcess.start(name, command(), this.directory, this.environment);
	}

}
