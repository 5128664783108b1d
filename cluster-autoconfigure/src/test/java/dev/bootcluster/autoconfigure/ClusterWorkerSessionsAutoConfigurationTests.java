package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.PrimarySessionRepository;
import dev.bootcluster.worker.ReactivePrimarySessionRepository;
import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.server.session.WebSessionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterWorkerSessionsAutoConfiguration}: a servlet worker gets Spring Session's
 * filter and a reactive one its {@code WebSessionManager}, both backed by the primary;
 * {@code cluster.sessions.store=none}, an application's own store, a worker without a web
 * server and a process that is no worker get nothing.
 */
class ClusterWorkerSessionsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATION = AutoConfigurations
		.of(ClusterWorkerSessionsAutoConfiguration.class);

	@Test
	void aServletWorkerKeepsSessionsInThePrimary() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.run((context) -> assertThat(context).hasSingleBean(PrimarySessionRepository.class)
					.hasSingleBean(SessionRepositoryFilter.class)
					.doesNotHaveBean(ReactivePrimarySessionRepository.class));
		}
	}

	@Test
	void aReactiveWorkerKeepsWebSessionsInThePrimary() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.run((context) -> assertThat(context).hasSingleBean(ReactivePrimarySessionRepository.class)
					.hasSingleBean(WebSessionManager.class)
					.doesNotHaveBean(PrimarySessionRepository.class));
		}
	}

	@Test
	void storeNoneLeavesSessionsToEachWorker() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.withPropertyValues("cluster.sessions.store=none")
				.run((context) -> assertThat(context).doesNotHaveBean(SessionRepository.class)
					.doesNotHaveBean(SessionRepositoryFilter.class));
		}
	}

	@Test
	void anApplicationsOwnSessionStoreWins() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.withBean("appSessions", MapSessionRepository.class,
						() -> new MapSessionRepository(new java.util.HashMap<>()))
				.run((context) -> assertThat(context).doesNotHaveBean(PrimarySessionRepository.class)
					.hasSingleBean(SessionRepository.class));
		}
	}

	@Test
	void aWorkerWithoutAWebServerOrAPlainApplicationGetsNothing() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new ApplicationContextRunner().withConfiguration(CONFIGURATION)
				.run((context) -> assertThat(context).doesNotHaveBean(SessionRepository.class));
		}
		new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
			.run((context) -> assertThat(context).doesNotHaveBean(SessionRepository.class)
				.doesNotHaveBean(SessionRepositoryFilter.class));
	}

}
