package dev.bootcluster.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the application as a real cluster: before its first test, a
 * primary started as {@code java -cp <the test class path> <main class>} on a random
 * port, with {@link #workers} worker JVMs, all ready; after its last test, every process
 * of it killed, whatever happened. Tests get it as a {@link RunningCluster} parameter;
 * when a test fails, the cluster's output is printed. <pre>
 * &#64;ClusterTest(workers = 2, properties = "management.endpoints.web.exposure.include=health,cluster")
 * class MyClusterTests {
 *
 *     &#64;Test
 *     void spreads(RunningCluster cluster) throws IOException {
 *         assertThat(cluster.get("/").status()).isEqualTo(200);
 *     }
 *
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ClusterExtension.class)
public @interface ClusterTest {

	/** How many worker JVMs ({@code cluster.workers}). */
	int workers() default 2;

	/**
	 * More properties, as {@code name=value}, passed as {@code --name=value}; they win
	 * over application.properties.
	 */
	String[] properties() default {};

	/**
	 * The class whose {@code main} starts the app; by default the
	 * {@code @SpringBootConfiguration} class found from the test's package upwards, as
	 * {@code @SpringBootTest} finds it.
	 */
	Class<?> mainClass() default void.class;

	/**
	 * The primary's JVM options, which its workers inherit; by default small,
	 * fast-starting JVMs ({@link ClusterProcess#JVM_OPTIONS}).
	 */
	String[] jvmOptions() default {};

	/**
	 * {@code user:password} sent as HTTP Basic with the endpoint's writes
	 * ({@link RunningCluster#restart}); none by default.
	 */
	String credentials() default "";

}
