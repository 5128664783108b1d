package dev.bootcluster.test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.AnnotatedClassFinder;

/**
 * Which class a test's app is started with: the given one, or the
 * {@code @SpringBootConfiguration} class in the test's package or the nearest one above
 * it (found as {@code @SpringBootTest} finds it), which must have a
 * {@code public static void main(String[])}. Stateless.
 */
final class ApplicationMainClass {

	private static final AnnotatedClassFinder FINDER = new AnnotatedClassFinder(SpringBootConfiguration.class);

	private ApplicationMainClass() {
	}

	/** The main class for {@code testClass}; {@code given} unless it is void.class. */
	static String of(Class<?> testClass, Class<?> given) {
		Class<?> main = (given != void.class) ? given : FINDER.findFromClass(testClass);
		if (main == null) {
			throw new IllegalStateException("No @SpringBootConfiguration class found in " + testClass.getPackageName()
					+ " or above it: give @ClusterTest(mainClass = ...)");
		}
		if (!hasMain(main)) {
			throw new IllegalStateException(main.getName()
					+ " has no public static void main(String[]): give @ClusterTest(mainClass = ...) the class that starts the app");
		}
		return main.getName();
	}

	private static boolean hasMain(Class<?> type) {
		try {
			Method main = type.getMethod("main", String[].class);
			return Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
