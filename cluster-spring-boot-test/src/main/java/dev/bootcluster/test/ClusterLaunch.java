package dev.bootcluster.test;

/**
 * The command a {@link ClusterTest} starts: {@code java <jvmOptions> -cp <class path>
 * <main class> --server.port=0 --cluster.workers=<workers> --<properties>}. Stateless.
 */
final class ClusterLaunch {

	private ClusterLaunch() {
	}

	static ClusterCommand command(ClusterTest test, Class<?> testClass, String classPath) {
		ClusterCommand command = ClusterCommand
			.classPath(classPath, ApplicationMainClass.of(testClass, test.mainClass()))
			.workers(test.workers());
		if (test.jvmOptions().length > 0) {
			command.jvmOptions(test.jvmOptions());
		}
		for (String property : test.properties()) {
			int equals = property.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("@ClusterTest property '" + property + "' is not name=value");
			}
			String name = property.substring(0, equals).trim();
			// a second --cluster.workers would bind as "2,3"
			if (name.equals("cluster.workers")) {
				throw new IllegalArgumentException(
						"@ClusterTest sets cluster.workers with workers = N, not a property");
			}
			command.property(name, property.substring(equals + 1));
		}
		return command;
	}

}
