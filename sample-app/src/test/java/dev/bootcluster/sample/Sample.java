package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Path;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;

/** The sample app's jar, as the end-to-end tests start it. Stateless. */
final class Sample {

	/** The jar Maven built (failsafe says where). */
	static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));

	private Sample() {
	}

	/** {@code java -jar sample-app.jar}. */
	static ClusterCommand command() {
		return ClusterCommand.jar(JAR);
	}

	/**
	 * {@code java <options> -jar sample-app.jar --server.port=0 <arguments>}: a shorthand
	 * for {@code Sample.command().arguments(arguments).start(name)}.
	 */
	static ClusterProcess start(String name, String... arguments) throws IOException {
		return command().arguments(arguments).start(name);
	}

}
