package dev.bootcluster.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bootcluster.frontdoor.DescriptorBudget;
import dev.bootcluster.frontdoor.InternalHop;
import dev.bootcluster.frontdoor.SchedulingPolicy;
import dev.bootcluster.primary.Backoff;
import dev.bootcluster.primary.ClassDataSharing;
import dev.bootcluster.primary.ClusterSettings;
import dev.bootcluster.primary.Supervision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClusterSettingsBinderTests {

	@Test
	void autoMeansOneWorkerPerCpu() {
		assertThat(settings("cluster.workers", "auto").workers()).isEqualTo(6);
		assertThat(settings("cluster.workers", " AUTO ").workers()).isEqualTo(6);
	}

	@Test
	void aNumberIsTakenAsIs() {
		assertThat(settings("cluster.workers", "3").workers()).isEqualTo(3);
	}

	@Test
	void defaultsServeATypicalWebApp() {
		ClusterSettings settings = settings("cluster.workers", "2");
		assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.backoff())
			.isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(60)));
		assertThat(settings.workerJvmArgs()).isEmpty();
	}

	@Test
	void workerJvmArgsAreSplitOnWhitespace() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "2")
			.withProperty("cluster.worker.jvm-args", " -Xmx512m   -XX:+UseZGC ");
		assertThat(ClusterSettingsBinder.bind(environment, 6).workerJvmArgs()).containsExactly("-Xmx512m",
				"-XX:+UseZGC");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-2", "abc", "1.5", "" })
	void badWorkerCountsNameThePropertyAndTheAllowedValues(String value) {
		assertThat(refused("cluster.workers", value).getAllowed()).contains("'auto'")
			.contains("6 here")
			.contains("a whole number from 1");
	}

	@Test
	void negativeOrZeroDurationsAreRefused() {
		refused("cluster.restart.initial-delay", "-1s");
		refused("cluster.worker.ready-timeout", "0s");
		refused("cluster.metrics.scrape-timeout", "0s");
	}

	@Test
	void sessionsGet64MegabytesUnlessSetAndAStoreNamedInTheAllowedValues() {
		assertThat(settings("cluster.workers", "2").sessionsMaxMemory()).isEqualTo(64L * 1024 * 1024);
		assertThat(settings("cluster.sessions.max-memory", "1GB").sessionsMaxMemory()).isEqualTo(1024L * 1024 * 1024);
		assertThat(refused("cluster.sessions.max-memory", "100KB").getAllowed()).contains("from 1MB");
		assertThat(refused("cluster.sessions.store", "redis").getAllowed()).isEqualTo("one of 'primary', 'none'");
	}

	@Test
	void coherentCachesAreTrueOrFalse() {
		assertThat(refused("cluster.cache.coherent", "sometimes").getAllowed()).isEqualTo("true or false");
	}

	@Test
	void theDrainTimeoutIsTheShutdownTimeoutUnlessSet() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "2")
			.withProperty("cluster.worker.shutdown-timeout", "12s");
		assertThat(ClusterSettingsBinder.bind(environment, 6).drainTimeout()).isEqualTo(Duration.ofSeconds(12));
		environment.setProperty("cluster.worker.drain-timeout", "2m");
		assertThat(ClusterSettingsBinder.bind(environment, 6).drainTimeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(refused("cluster.worker.drain-timeout", "0s").getAllowed())
			.isEqualTo("a positive duration such as 500ms, 10s or 2m");
	}

	@Test
	void maxHeaderSizeDefaultsTo16KilobytesAndStaysWithinReason() {
		assertThat(settings("cluster.workers", "1").maxHeaderSize()).isEqualTo(16 * 1024);
		assertThat(settings("cluster.front-door.max-header-size", "64KB").maxHeaderSize()).isEqualTo(64 * 1024);
		for (String size : new String[] { "100B", "2MB" }) {
			assertThat(refused("cluster.front-door.max-header-size", size).getAllowed()).contains("from 1KB to 1MB");
		}
	}

	@Test
	void unparsableDurationsNameThePropertyAndTheFormat() {
		assertThat(refused("cluster.worker.shutdown-timeout", "soon").getAllowed())
			.contains("a duration such as 500ms");
	}

	@Test
	void schedulingPolicyDefaultsToRoundRobinAndAcceptsTheFourValues() {
		assertThat(settings("cluster.workers", "2").policy()).isEqualTo(SchedulingPolicy.ROUND_ROBIN);
		assertThat(settings("cluster.scheduling-policy", "least-connections").policy())
			.isEqualTo(SchedulingPolicy.LEAST_CONNECTIONS);
		assertThat(settings("cluster.scheduling-policy", "source-ip").policy()).isEqualTo(SchedulingPolicy.SOURCE_IP);
		assertThat(settings("cluster.scheduling-policy", "os").policy()).isEqualTo(SchedulingPolicy.OS);
	}

	@Test
	void anUnknownSchedulingPolicyListsTheFour() {
		assertThat(refused("cluster.scheduling-policy", "random").getAllowed())
			.isEqualTo("one of 'round-robin', 'least-connections', 'source-ip', 'os'");
	}

	@Test
	void classDataSharingIsAutoWithAPrivateCacheUnderTheTemporaryDirectoryUnlessSet() {
		ClusterSettings defaults = settings("cluster.workers", "2");
		assertThat(defaults.classDataSharing()).isEqualTo(ClassDataSharing.AUTO);
		assertThat(defaults.cacheDirectory()).isEqualTo(
				Path.of(System.getProperty("java.io.tmpdir"), "boot-cluster-cache-" + System.getProperty("user.name")));
		assertThat(settings("cluster.worker.class-data-sharing", "off").classDataSharing())
			.isEqualTo(ClassDataSharing.OFF);
		assertThat(settings("cluster.worker.cache-dir", "/var/cache/app").cacheDirectory())
			.isEqualTo(Path.of("/var/cache/app"));
		assertThat(refused("cluster.worker.class-data-sharing", "on").getAllowed()).isEqualTo("one of 'auto', 'off'");
	}

	@Test
	void archivePagesAreSharedOnlyWhenAskedFor() {
		assertThat(settings("cluster.workers", "2").shareArchivePages()).isFalse();
		assertThat(settings("cluster.worker.share-archive-pages", "true").shareArchivePages()).isTrue();
		assertThat(refused("cluster.worker.share-archive-pages", "yes please").getAllowed()).isEqualTo("true or false");
	}

	@Test
	void servingWorkersAreFiveNicerUnlessSet() {
		assertThat(settings("cluster.workers", "2").servingNice()).isEqualTo(5);
		assertThat(settings("cluster.worker.serving-nice", "0").servingNice()).isZero();
		assertThat(settings("cluster.worker.serving-nice", "19").servingNice()).isEqualTo(19);
		for (String wrong : List.of("-1", "20")) {
			assertThat(refused("cluster.worker.serving-nice", wrong).getAllowed())
				.isEqualTo("a whole number from 0 (workers serve at the primary's priority) to 19");
		}
	}

	@Test
	void startConcurrencyIsOnePerCpuUnlessSet() {
		assertThat(settings("cluster.workers", "2").startConcurrency()).isEqualTo(6);
		assertThat(settings("cluster.worker.start-concurrency", "1").startConcurrency()).isOne();
	}

	@Test
	void theInternalHopIsAUnixSocketUnlessTcpIsAskedFor() {
		assertThat(settings("cluster.workers", "2").internalHop()).isEqualTo(InternalHop.UNIX_SOCKET);
		assertThat(settings("cluster.front-door.internal-hop", "tcp").internalHop()).isEqualTo(InternalHop.TCP);
		assertThat(refused("cluster.front-door.internal-hop", "pipe").getAllowed())
			.isEqualTo("one of 'unix-socket', 'tcp'");
	}

	@Test
	void supervisionDefaultsSuitATypicalWebApp() {
		ClusterSettings settings = settings("cluster.workers", "2");
		Supervision supervision = settings.supervision();
		assertThat(supervision.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(supervision.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(supervision.maxMemoryBytes()).isZero();
		assertThat(supervision.maxRequests()).isZero();
		assertThat(supervision.maxLifetime()).isNull();
		assertThat(supervision.maxRestarts()).isEqualTo(10);
		assertThat(settings.maxWorkers()).as("4 per CPU").isEqualTo(24);
		assertThat(settings("cluster.worker.max-memory", "512MB").supervision().maxMemoryBytes())
			.isEqualTo(512L * 1024 * 1024);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			cluster.worker.heartbeat-timeout | 6s   | a duration at least twice cluster.worker.heartbeat-interval (5s)
			cluster.worker.max-memory        | lots | a size such as 512MB or 2GB
			cluster.worker.max-memory        | 0MB  | a positive size such as 512MB or 2GB, or unset for no limit
			cluster.worker.max-requests      | -1   | a whole number from 0 (0: no limit)
			cluster.restart.max-restarts     | many | a whole number
			cluster.max-workers              | 1    | a whole number no smaller than cluster.workers (2)
			cluster.worker.start-concurrency | 0    | a whole number from 1, or unset for one per CPU (6 here)
			cluster.worker.start-concurrency | -2   | a whole number from 1, or unset for one per CPU (6 here)
			""")
	void badSupervisionValuesNameThePropertyAndTheAllowedValues(String property, String value, String allowed) {
		assertThat(refused(property, value).getAllowed()).isEqualTo(allowed);
	}

	@Test
	void maxDelayShorterThanInitialDelayIsRefused() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.workers", "2")
			.withProperty("cluster.restart.initial-delay", "5s")
			.withProperty("cluster.restart.max-delay", "1s");
		assertThatExceptionOfType(InvalidClusterPropertyException.class)
			.isThrownBy(() -> ClusterSettingsBinder.bind(environment, 6))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("cluster.restart.max-delay"));
	}

	@Test
	void maxConnectionsDefaultsToWhatTheFileDescriptorLimitAllows() {
		assertThat(settings("cluster.workers", "2").maxConnections()).isEqualTo(DescriptorBudget.maxConnections(24));
		assertThat(settings("cluster.front-door.max-connections", "500").maxConnections()).isEqualTo(500);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1" })
	void maxConnectionsBelowOneIsRefused(String value) {
		assertThat(refused("cluster.front-door.max-connections", value).getAllowed())
			.startsWith("a whole number from 1, or unset for what the file-descriptor limit allows (");
	}

	/**
	 * The error that refuses {@code property=value}, which names both; the caller checks
	 * the allowed values it lists.
	 */
	private static InvalidClusterPropertyException refused(String property, String value) {
		try {
			settings(property, value);
		}
		catch (InvalidClusterPropertyException ex) {
			assertThat(ex.getProperty()).isEqualTo(property);
			assertThat(ex.getValue()).isEqualTo(value);
			return ex;
		}
		throw new AssertionError(property + "=" + value + " was accepted");
	}

	private static ClusterSettings settings(String property, String value) {
		MockEnvironment environment = new MockEnvironment();
		if (!property.equals("cluster.workers")) {
			environment.setProperty("cluster.workers", "2");
		}
		environment.setProperty(property, value);
		return ClusterSettingsBinder.bind(environment, 6);
	}

}
