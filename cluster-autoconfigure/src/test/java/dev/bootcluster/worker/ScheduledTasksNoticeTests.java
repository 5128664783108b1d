package dev.bootcluster.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.channel.Notice;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduledTasksNoticeTests {

	private final List<Notice> told = new ArrayList<>();

	private final ScheduledTasksNotice notice = new ScheduledTasksNotice(this.told::add);

	@Test
	void scheduledTasksInOneOfSeveralWorkersAreToldToThePrimary() {
		ready(new ApplicationContextRunner().withUserConfiguration(Job.class), 2);
		assertThat(this.told).containsExactly(Notice.SCHEDULED_TASKS);
	}

	@Test
	void scheduledTasksInTheOnlyWorkerAreNotTold() {
		ready(new ApplicationContextRunner().withUserConfiguration(Job.class), 1);
		assertThat(this.told).isEmpty();
	}

	@Test
	void anAppWithoutScheduledTasksIsNotTold() {
		ready(new ApplicationContextRunner().withUserConfiguration(NoJob.class), 2);
		assertThat(this.told).isEmpty();
	}

	private void ready(ApplicationContextRunner runner, int workers) {
		runner.withPropertyValues("cluster.worker.count=" + workers)
			.run((context) -> this.notice.onApplicationEvent(new ApplicationReadyEvent(new SpringApplication(),
					new String[0], context.getSourceApplicationContext(), Duration.ZERO)));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Job {

		@Bean
		Hourly hourly() {
			return new Hourly();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class NoJob {

	}

	static class Hourly {

		@Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
		void run() {
		}

	}

}
