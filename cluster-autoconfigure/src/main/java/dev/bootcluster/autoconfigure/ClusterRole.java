package dev.bootcluster.autoconfigure;

import java.util.Map;
import java.util.Set;

import dev.bootcluster.channel.WorkerEnvironment;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * What this process is in a cluster, decided once the Environment is prepared.
 */
enum ClusterRole {

	/** Not clustered: the starter does nothing and the app runs as one plain process. */
	NONE,

	/** Owns the ports and supervises workers; never creates the application's context. */
	PRIMARY,

	/** The application itself, forked by a primary. */
	WORKER;

	/**
	 * Stack frames of test runners: a test that starts the app must get the app, not a
	 * cluster.
	 */
	private static final Set<String> TEST_FRAMES = Set.of("org.junit.", "org.testng.", "org.springframework.boot.test.",
			"org.springframework.test.");

	public static ClusterRole of(Environment environment) {
		return of(environment, System.getenv(), Thread.currentThread());
	}

	static ClusterRole of(Environment environment, Map<String, String> systemEnvironment, Thread thread) {
		if (Boolean.getBoolean("spring.aot.processing")) {
			return NONE;
		}
		if (systemEnvironment.containsKey(WorkerEnvironment.ID)) {
			return WORKER;
		}
		String enabled = environment.getProperty("cluster.enabled", "true").trim();
		if ("false".equalsIgnoreCase(enabled) || !StringUtils.hasText(environment.getProperty("cluster.workers"))) {
			return NONE;
		}
		return isApplicationMain(thread) ? PRIMARY : NONE;
	}

	/**
	 * Whether this is the JVM's main thread running the application's {@code main}: not
	 * devtools' {@code restartedMain}, not a test.
	 */
	private static boolean isApplicationMain(Thread thread) {
		if (!"main".equals(thread.getName())) {
			return false;
		}
		for (StackTraceElement frame : thread.getStackTrace()) {
			String className = frame.getClassName();
			if (TEST_FRAMES.stream().anyMatch(className::startsWith)) {
				return false;
			}
		}
		return true;
	}

}
