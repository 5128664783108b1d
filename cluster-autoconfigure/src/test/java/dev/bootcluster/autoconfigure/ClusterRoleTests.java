package dev.bootcluster.autoconfigure;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterRoleTests {

	private static final Map<String, String> NO_ENV = Map.of();

	@Test
	void workerIdInTheEnvironmentMakesAWorker() {
		assertThat(roleOnMain(new MockEnvironment(), Map.of("CLUSTER_WORKER_ID", "2"))).isEqualTo(ClusterRole.WORKER);
	}

	@Test
	void clusterWorkersOnTheMainThreadMakesAPrimary() {
		assertThat(roleOnMain(new MockEnvironment().withProperty("cluster.workers", "auto"), NO_ENV))
			.isEqualTo(ClusterRole.PRIMARY);
	}

	@Test
	void withoutClusterWorkersNothingHappens() {
		assertThat(roleOnMain(new MockEnvironment(), NO_ENV)).isEqualTo(ClusterRole.NONE);
		assertThat(roleOnMain(new MockEnvironment().withProperty("cluster.workers", " "), NO_ENV))
			.isEqualTo(ClusterRole.NONE);
	}

	@Test
	void enabledFalseTurnsTheClusterOff() {
		assertThat(roleOnMain(
				new MockEnvironment().withProperty("cluster.workers", "2").withProperty("cluster.enabled", "false"),
				NO_ENV))
			.isEqualTo(ClusterRole.NONE);
	}

	@Test
	void devtoolsRestartedMainIsNeverAPrimary() {
		assertThat(roleOn("restartedMain", new MockEnvironment().withProperty("cluster.workers", "2")))
			.isEqualTo(ClusterRole.NONE);
	}

	@Test
	void aTestStartingTheAppIsNeverAPrimary() {
		// this test runs on a thread whose stack holds JUnit's frames
		Thread thread = Thread.currentThread();
		String name = thread.getName();
		thread.setName("main");
		try {
			assertThat(ClusterRole.of(new MockEnvironment().withProperty("cluster.workers", "2"), NO_ENV, thread))
				.isEqualTo(ClusterRole.NONE);
		}
		finally {
			thread.setName(name);
		}
	}

	@Test
	void aotProcessingIsNeverAPrimary() {
		System.setProperty("spring.aot.processing", "true");
		try {
			assertThat(roleOnMain(new MockEnvironment().withProperty("cluster.workers", "2"), NO_ENV))
				.isEqualTo(ClusterRole.NONE);
		}
		finally {
			System.clearProperty("spring.aot.processing");
		}
	}

	private static ClusterRole roleOnMain(MockEnvironment environment, Map<String, String> systemEnvironment) {
		return roleOn("main", environment, systemEnvironment);
	}

	private static ClusterRole roleOn(String threadName, MockEnvironment environment) {
		return roleOn(threadName, environment, NO_ENV);
	}

	private static ClusterRole roleOn(String threadName, MockEnvironment environment,
			Map<String, String> systemEnvironment) {
		AtomicReference<ClusterRole> role = new AtomicReference<>();
		Thread thread = new Thread(
				() -> role.set(ClusterRole.of(environment, systemEnvironment, Thread.currentThread())), threadName);
		thread.start();
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		return role.get();
	}

}
