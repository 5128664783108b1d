package dev.bootcluster.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bootcluster.autoconfigure.ClusterWorkerEventsAutoConfiguration;
import dev.bootcluster.autoconfigure.ClusterWorkerSchedulingAutoConfiguration;
import dev.bootcluster.channel.Message;
import dev.bootcluster.scheduling.ClusterSingleton;
import net.javacrumbs.shedlock.core.LockProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterSingleton} in a worker's context: the scheduled method runs only when the
 * primary grants its lease; an unannotated one always runs; the ShedLock provider is
 * there unless the app has its own or ShedLock is absent.
 */
class ClusterSingletonTests {

	private final List<String> asked = new CopyOnWriteArrayList<>();

	private volatile boolean grant;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterWorkerEventsAutoConfiguration.class,
				ClusterWorkerSchedulingAutoConfiguration.class))
		.withBean(WorkerLeases.class, () -> new WorkerLeases(this::ask, (message) -> {
		}, (event) -> {
		}));

	@Test
	void aSingletonRunsOnlyWithItsLeaseAndAPlainScheduledMethodAlways() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withUserConfiguration(Jobs.class).run((context) -> {
				Jobs jobs = context.getBean(Jobs.class);
				jobs.report();
				jobs.cleanUp();
				jobs.everywhere();
				this.grant = true;
				jobs.report();
				assertThat(jobs.reports()).isEqualTo(1);
				assertThat(jobs.cleanUps()).isZero();
				assertThat(jobs.everywheres()).isEqualTo(1);
				assertThat(this.asked).containsExactly(Jobs.class.getName() + ".report", "nightly-clean-up",
						Jobs.class.getName() + ".report");
			});
		}
	}

	@Test
	void theSchedulerRunsTheSingletonThroughItsLease() {
		this.grant = true;
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withUserConfiguration(Ticking.class).run((context) -> {
				assertThat(context.getBean(ScheduledTaskHolder.class).getScheduledTasks()).hasSize(1);
				Ticking ticking = context.getBean(Ticking.class);
				Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ticking.ticks() > 0);
				assertThat(this.asked).containsExactly(Ticking.class.getName() + ".tick");
			});
		}
	}

	@Test
	void shedLockGetsTheClusterLockProviderUnlessTheAppHasOne() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.run((context) -> assertThat(context).hasSingleBean(ClusterLockProvider.class));
			LockProvider own = (configuration) -> java.util.Optional.empty();
			this.runner.withBean("ownLockProvider", LockProvider.class, () -> own)
				.run((context) -> assertThat(context.getBean(LockProvider.class)).isSameAs(own));
			this.runner.withClassLoader(new FilteredClassLoader(LockProvider.class))
				.run((context) -> assertThat(context).doesNotHaveBean(ClusterLockProvider.class)
					.hasSingleBean(WorkerLeases.class));
		}
	}

	@Test
	void aPlainApplicationGetsNothing() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ClusterWorkerEventsAutoConfiguration.class,
					ClusterWorkerSchedulingAutoConfiguration.class))
			.withUserConfiguration(Jobs.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WorkerLeases.class)
					.doesNotHaveBean(ClusterSingletonPostProcessor.class)
					.doesNotHaveBean(ClusterEvents.class);
				Jobs jobs = context.getBean(Jobs.class);
				jobs.cleanUp();
				assertThat(jobs.cleanUps()).as("outside a cluster it just runs").isEqualTo(1);
			});
	}

	private CompletableFuture<Message> ask(Message.Type type, Object[] fields) {
		this.asked.add(String.valueOf(fields[0]));
		return CompletableFuture.completedFuture(Message.of(Message.Type.LEASE_STATE, "1", this.grant, 1));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Jobs {

		final AtomicInteger reports = new AtomicInteger();

		final AtomicInteger cleanUps = new AtomicInteger();

		final AtomicInteger everywhere = new AtomicInteger();

		// Read through these: the bean is a proxy, whose own fields are not the job's.
		int reports() {
			return this.reports.get();
		}

		int cleanUps() {
			return this.cleanUps.get();
		}

		int everywheres() {
			return this.everywhere.get();
		}

		@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
		@ClusterSingleton
		void report() {
			this.reports.incrementAndGet();
		}

		@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
		@ClusterSingleton("nightly-clean-up")
		public void cleanUp() {
			this.cleanUps.incrementAndGet();
		}

		@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
		void everywhere() {
			this.everywhere.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Ticking {

		private final AtomicInteger ticks = new AtomicInteger();

		int ticks() {
			return this.ticks.get();
		}

		@Scheduled(fixedDelay = 60_000)
		@ClusterSingleton
		void tick() {
			this.ticks.incrementAndGet();
		}

	}

}
