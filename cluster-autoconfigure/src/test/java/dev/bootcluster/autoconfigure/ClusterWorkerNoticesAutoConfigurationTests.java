package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.ScheduledTasksNotice;
import dev.bootcluster.worker.SharedUserPassword;
import dev.bootcluster.worker.WorkerAgent;
import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterWorkerSecurityAutoConfiguration} and
 * {@link ClusterWorkerSchedulingAutoConfiguration}: a worker shares the cluster's
 * generated password (with Spring Security on the class path) and reports its scheduled
 * tasks; a primary's environment and a plain application get neither; an application's
 * own bean replaces each.
 */
class ClusterWorkerNoticesAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterWorkerSecurityAutoConfiguration.class,
				ClusterWorkerEventsAutoConfiguration.class, ClusterWorkerSchedulingAutoConfiguration.class));

	@Test
	void aWorkerSharesThePasswordAndReportsScheduledTasks() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.run((context) -> assertThat(context).hasSingleBean(SharedUserPassword.class)
				.hasSingleBean(ScheduledTasksNotice.class));
		}
	}

	@Test
	void aWorkerWithoutSpringSecuritySharesNoPassword() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withClassLoader(new FilteredClassLoader(SecurityProperties.class))
				.run((context) -> assertThat(context).doesNotHaveBean(SharedUserPassword.class)
					.hasSingleBean(ScheduledTasksNotice.class));
		}
	}

	@Test
	void aPrimarysEnvironmentOrAPlainApplicationGetsNeither() {
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).doesNotHaveBean(SharedUserPassword.class)
				.doesNotHaveBean(ScheduledTasksNotice.class));
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SharedUserPassword.class)
			.doesNotHaveBean(ScheduledTasksNotice.class));
	}

	@Test
	void theApplicationsOwnBeansReplaceOurs() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			SharedUserPassword password = new SharedUserPassword(WorkerAgent.current());
			ScheduledTasksNotice notice = new ScheduledTasksNotice(WorkerAgent.current());
			this.runner.withBean("userPassword", SharedUserPassword.class, () -> password)
				.withBean("userNotice", ScheduledTasksNotice.class, () -> notice)
				.run((context) -> {
					assertThat(context.getBean(SharedUserPassword.class)).isSameAs(password);
					assertThat(context.getBean(ScheduledTasksNotice.class)).isSameAs(notice);
				});
		}
	}

}
