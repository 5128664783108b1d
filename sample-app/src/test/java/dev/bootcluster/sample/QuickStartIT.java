package dev.bootcluster.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.test.ClusterProcess;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start, pasted into a new app as a user would, works: the README's
 * snippets ({@link QuickStart}) go into a throwaway start.spring.io-like app
 * ({@link ThrowawayApp}), which is built with the README's command against the starter
 * this build has just made, started with the README's command, and asked the README's
 * {@code curl} lines, which must answer what the README says they answer.
 * <p>
 * How each step maps to the README's:
 * <ul>
 * <li>{@code mvn … install} in a clone: this build has built the starter already, and
 * must not build itself again nor write to the shared {@code ~/.m2}; its parent pom,
 * {@code cluster-autoconfigure} and starter jars (what the app needs of what
 * {@code install} installs) are installed into a {@link ThrowawayRepository}
 * instead.</li>
 * <li>{@code ./mvnw …}: the build's own Maven with the same arguments, offline, against
 * that repository.</li>
 * <li>{@code java …}: the test's JDK with the same arguments, plus
 * {@code --server.port=0} (8080 may be taken) and small JVMs
 * ({@link ClusterProcess#JVM_OPTIONS}, inherited by the workers) of two CPUs
 * ({@code cluster.workers=auto} means two workers, as in the README's answers, on any
 * machine).</li>
 * <li>{@code curl}: {@link CurlLine} to the port the cluster serves.</li>
 * </ul>
 */
class QuickStartIT {

	private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));

	private static final String VERSION = System.getProperty("project.version", "0.1.0-SNAPSHOT");

	@Test
	void theQuickStartWorksAsPasted(@TempDir Path temp) throws Exception {
		QuickStart quickStart = QuickStart.read(ROOT.resolve("README.md"));
		assertThat(quickStart.commands("get-starter")).singleElement()
			.satisfies((command) -> assertThat(command.split(" ")).startsWith("mvn").contains("install"));
		ThrowawayRepository repository = ThrowawayRepository.create(temp.resolve("repository"));
		repository.install(ROOT.resolve("pom.xml"), ROOT.resolve("pom.xml"), temp);
		for (String module : List.of("cluster-autoconfigure", "cluster-spring-boot-starter")) {
			Path jar = Path.of(System.getProperty(module + ".jar",
					ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar").toString()));
			repository.install(jar, ROOT.resolve(module).resolve("pom.xml"), temp);
		}

		ThrowawayApp app = ThrowawayApp.create(temp.resolve("demo"));
		app.addDependencies(quickStart.snippet("dependencies"));
		String properties = quickStart.snippet("properties");
		assertThat(properties.lines().filter((line) -> !line.startsWith("#")))
			.as("properties files have no comment at the end of a line")
			.noneMatch((line) -> line.contains("#"));
		app.addProperties(properties);
		app.addClass(quickStart.snippet("security"));

		List<String> run = quickStart.commands("run");
		assertThat(run).hasSize(2);
		repository.run("quick-start-build", arguments(run.get(0), "./mvnw"), app.directory());
		List<String> java = new ArrayList<>(ClusterProcess.java());
		java.add("-XX:ActiveProcessorCount=2");
		java.addAll(ClusterProcess.JVM_OPTIONS);
		java.addAll(arguments(run.get(1), "java"));
		java.add("--server.port=0");
		try (ClusterProcess cluster = ClusterProcess.start("quick-start", java, app.directory())) {
			int port = cluster.port();
			for (QuickStart.Exchange exchange : quickStart.exchanges()) {
				CurlLine curl = CurlLine.parse(exchange.request());
				if (curl.isGet()) {
					// Read until the cluster is as documented: the workers take a while
					// to
					// be ready.
					awaitAnswer(cluster, () -> assertAnswer(exchange, curl.send(port)));
				}
				else {
					if (curl.hasCredentials()) {
						// The quick start's user is the only one who may write.
						assertThat(curl.withoutCredentials().send(port).status())
							.as("%s without its user", exchange.request())
							.isEqualTo(401);
					}
					assertAnswer(exchange, curl.send(port));
				}
			}
		}
	}

	/** What follows {@code program} in a README command line. */
	private static List<String> arguments(String command, String program) {
		List<String> words = List.of(command.split(" +"));
		assertThat(words.get(0)).as("the program in '%s'", command).isEqualTo(program);
		return words.subList(1, words.size());
	}

	private static void assertAnswer(QuickStart.Exchange exchange, Http.Response response) {
		assertThat(response.status()).as("%s answered %s", exchange.request(), response.body())
			.isEqualTo(exchange.status());
		JsonShape.assertMatches(exchange.answer(), response.body());
	}

	private static void awaitAnswer(ClusterProcess cluster, ThrowingRunnable assertion) {
		await("the answer the README documents").atMost(ClusterProcess.READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.failFast("the primary has exited", () -> !cluster.process().isAlive())
			.untilAsserted(assertion);
	}

}
