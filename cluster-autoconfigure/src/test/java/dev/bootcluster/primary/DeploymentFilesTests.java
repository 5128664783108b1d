package dev.bootcluster.primary;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.bootcluster.actuate.ClusterHealthIndicator;
import dev.bootcluster.autoconfigure.ClusterActuatorAutoConfiguration;
import dev.bootcluster.autoconfigure.ClusterProperties;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files under {@code docs/deploy}, parsed, keep the values that must stay
 * in step with the starter: its default shutdown timeout, the primary's exit codes that a
 * restart cannot help, its stop and reload signals, the cluster health path. No container
 * runtime runs here: what they do when run is not tested.
 */
class DeploymentFilesTests {

	private static final Path DEPLOY = Path.of("../docs/deploy");

	/** What a stopping cluster may take at most with the starter's defaults. */
	private static final Duration STOP = new ClusterProperties().getWorker()
		.getShutdownTimeout()
		.plus(Primary.LAST_BYTES_TIMEOUT);

	/** Room for the JVMs' own exit after that. */
	private static final Duration MARGIN = Duration.ofSeconds(5);

	@Test
	void systemdStopsThePrimaryOnlyWaitsLongEnoughAndDoesNotRestartWhatCannotStart() throws IOException {
		Map<String, String> service = unitSection(Files.readAllLines(DEPLOY.resolve("boot-cluster.service")),
				"Service");
		assertThat(service).containsEntry("Type", "simple")
			.containsEntry("KillMode", "mixed")
			.containsEntry("KillSignal", "SIG" + Signals.SHUTDOWN)
			.containsEntry("ExecReload", "/bin/kill -" + Signals.RELOAD + " $MAINPID")
			.containsEntry("Restart", "on-failure")
			.containsEntry("PrivateTmp", "false");
		assertThat(Duration.ofSeconds(Long.parseLong(service.get("TimeoutStopSec"))))
			.isGreaterThanOrEqualTo(STOP.plus(MARGIN));
		Set<Integer> noRestart = Arrays.stream(service.get("RestartPreventExitStatus").split("\\s+"))
			.map(Integer::valueOf)
			.collect(Collectors.toSet());
		assertThat(noRestart).containsExactlyInAnyOrder(ClusterExitCode.CANNOT_START,
				ClusterExitCode.APPLICATION_CANNOT_BOOT);
		assertThat(service.get("Environment")).isEqualTo("CLUSTER_WORKERS=auto");
	}

	@Test
	void theImageRunsTheExtractedLayersUnderAnInitThatPassesTheStopSignal() throws IOException {
		List<String> file = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
		List<String[]> instructions = file.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.map((line) -> line.split("\\s+", 2))
			.toList();
		List<String[]> last = instructions.subList(lastIndexOf(instructions, "FROM"), instructions.size());
		assertThat(only(instructions, "RUN").get(0)).contains("-Djarmode=tools").contains("extract --layers");
		assertThat(only(last, "COPY")).containsExactly("--from=builder /builder/extracted/dependencies/ ./",
				"--from=builder /builder/extracted/spring-boot-loader/ ./",
				"--from=builder /builder/extracted/snapshot-dependencies/ ./",
				"--from=builder /builder/extracted/application/ ./");
		assertThat(only(last, "ENTRYPOINT"))
			.containsExactly("[\"/usr/bin/tini\", \"--\", \"java\", \"-jar\", \"application.jar\"]");
		assertThat(only(last, "RUN")).anySatisfy((run) -> assertThat(run).contains("install").contains("tini"));
		assertThat(only(last, "STOPSIGNAL")).containsExactly("SIG" + Signals.SHUTDOWN);
		assertThat(only(last, "ENV")).containsExactly("CLUSTER_WORKERS=auto");
		// docker stop waits 10 s by default: the file says to give it more
		Matcher stopTimeout = Pattern.compile("--stop-timeout=(\\d+)").matcher(String.join("\n", file));
		assertThat(stopTimeout.find()).as("a docker run with --stop-timeout").isTrue();
		assertThat(Duration.ofSeconds(Long.parseLong(stopTimeout.group(1)))).isGreaterThanOrEqualTo(STOP.plus(MARGIN));
	}

	@Test
	@SuppressWarnings("unchecked")
	void kubernetesWaitsForTheShutdownAndProbesTheClusterHealth() throws Exception {
		List<Map<String, Object>> documents = new ArrayList<>();
		new Yaml().loadAll(Files.readString(DEPLOY.resolve("kubernetes.yaml")))
			.forEach((document) -> documents.add((Map<String, Object>) document));
		assertThat(documents).extracting((document) -> document.get("kind")).containsExactly("Deployment", "Service");
		Map<String, Object> pod = at(documents.get(0), "spec", "template", "spec");
		Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
		int preStop = (Integer) at(container, "lifecycle", "preStop", "sleep").get("seconds");
		assertThat(Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds")))
			.isGreaterThanOrEqualTo(STOP.plus(MARGIN).plusSeconds(preStop));
		assertThat(at(container, "readinessProbe", "httpGet")).containsEntry("path",
				"/actuator/health/" + clusterHealthComponent());
		assertThat(at(container, "livenessProbe", "tcpSocket")).containsEntry("port", "http");
		assertThat((List<Map<String, Object>>) container.get("env"))
			.contains(Map.of("name", "CLUSTER_WORKERS", "value", "auto"));
		// workers=auto counts the CPUs the JVM sees: the limit, which the request matches
		assertThat(at(container, "resources", "limits").get("cpu"))
			.isEqualTo(at(container, "resources", "requests").get("cpu"));
	}

	/** The health component's name, as Boot derives it from the indicator bean's. */
	private static String clusterHealthComponent() {
		for (Class<?> configuration : ClusterActuatorAutoConfiguration.class.getDeclaredClasses()) {
			for (Method method : configuration.getDeclaredMethods()) {
				if (method.getReturnType() == ClusterHealthIndicator.class) {
					return method.getName().replace("HealthIndicator", "");
				}
			}
		}
		throw new AssertionError("No cluster health indicator bean");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> at(Map<String, Object> map, String... keys) {
		Map<String, Object> value = map;
		for (String key : keys) {
			assertThat(value).as(String.join(".", keys)).containsKey(key);
			value = (Map<String, Object>) value.get(key);
		}
		return value;
	}

	/** The {@code key=value} lines of one section of a systemd unit file. */
	private static Map<String, String> unitSection(List<String> lines, String name) {
		Map<String, String> section = new HashMap<>();
		String current = "";
		for (String line : lines) {
			String text = line.strip();
			if (text.startsWith("[") && text.endsWith("]")) {
				current = text.substring(1, text.length() - 1);
			}
			else if (current.equals(name) && !text.isEmpty() && !text.startsWith("#")) {
				int equals = text.indexOf('=');
				assertThat(equals).as(text).isPositive();
				assertThat(section).as("one " + text.substring(0, equals)).doesNotContainKey(text.substring(0, equals));
				section.put(text.substring(0, equals), text.substring(equals + 1));
			}
		}
		return section;
	}

	private static List<String> only(List<String[]> instructions, String keyword) {
		return instructions.stream()
			.filter((instruction) -> instruction[0].equals(keyword))
			.map((instruction) -> instruction[1])
			.toList();
	}

	private static int lastIndexOf(List<String[]> instructions, String keyword) {
		for (int i = instructions.size() - 1; i >= 0; i--) {
			if (instructions.get(i)[0].equals(keyword)) {
				return i;
			}
		}
		throw new AssertionError("No " + keyword);
	}

}
