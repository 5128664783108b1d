package dev.bootcluster.test;

import java.io.IOException;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit extension behind {@link ClusterTest}: starts the cluster before the test
 * class's first test and waits for its workers, keeps it in the class's store (which
 * closes it, killing every process, after the class, even when a test failed), resolves
 * {@link RunningCluster} parameters, and prints the cluster's output when a test fails.
 * JUnit calls it on the test's thread.
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ClusterExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		if (context.getStore(NAMESPACE).get(RunningCluster.class) != null) {
			return; // a @Nested class: its enclosing class's cluster
		}
		Class<?> testClass = context.getRequiredTestClass();
		ClusterTest test = AnnotationSupport.findAnnotation(testClass, ClusterTest.class)
			.orElseThrow(() -> new IllegalStateException(testClass.getName() + " is not annotated @ClusterTest"));
		ClusterProcess process = ClusterLaunch.command(test, testClass, TestClassPath.current())
			.start(testClass.getSimpleName());
		RunningCluster cluster = new RunningCluster(process, test.credentials());
		context.getStore(NAMESPACE).put(RunningCluster.class, cluster);
		try {
			process.awaitReady(test.workers());
		}
		catch (RuntimeException | Error ex) {
			print(cluster, testClass.getSimpleName() + ": the cluster did not start");
			throw ex;
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RunningCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return cluster(extensionContext);
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		print(cluster(context), context.getDisplayName() + " failed");
	}

	private static RunningCluster cluster(ExtensionContext context) {
		RunningCluster cluster = context.getStore(NAMESPACE).get(RunningCluster.class, RunningCluster.class);
		if (cluster == null) {
			throw new IllegalStateException("No cluster started for " + context.getDisplayName());
		}
		return cluster;
	}

	private static void print(RunningCluster cluster, String why) {
		System.out.println("---- " + why + "; the cluster's output (pid " + cluster.process().pid() + "):\n"
				+ cluster.output() + "\n---- end of the cluster's output");
	}

}
