package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.RequestCountingFilter;
import dev.bootcluster.worker.RequestCountingWebFilter;
import dev.bootcluster.worker.WorkerAgent;
import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterWorkerRequestsAutoConfiguration}: a servlet or a reactive worker counts
 * its requests; a primary's environment, a plain application and a worker without a web
 * server count nothing.
 */
class ClusterWorkerRequestsAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATION = AutoConfigurations
		.of(ClusterWorkerRequestsAutoConfiguration.class);

	@Test
	void aServletOrReactiveWorkerCountsItsRequests() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.run((context) -> assertThat(context).hasSingleBean(RequestCountingFilter.class)
					.doesNotHaveBean(RequestCountingWebFilter.class));
			new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.run((context) -> assertThat(context).hasSingleBean(RequestCountingWebFilter.class)
					.doesNotHaveBean(RequestCountingFilter.class));
			new ApplicationContextRunner().withConfiguration(CONFIGURATION)
				.run((context) -> assertThat(context).doesNotHaveBean(RequestCountingFilter.class)
					.doesNotHaveBean(RequestCountingWebFilter.class));
		}
	}

	@Test
	void aPrimarysEnvironmentOrAPlainApplicationCountsNothing() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
			.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestCountingFilter.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATION)
			.run((context) -> assertThat(context).doesNotHaveBean(RequestCountingWebFilter.class));
	}

	@Test
	void theApplicationsOwnCountersReplaceOurs() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			RequestCountingFilter filter = new RequestCountingFilter(WorkerAgent.current());
			new WebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.withBean("userFilter", RequestCountingFilter.class, () -> filter)
				.run((context) -> assertThat(context.getBean(RequestCountingFilter.class)).isSameAs(filter));
			RequestCountingWebFilter webFilter = new RequestCountingWebFilter(WorkerAgent.current());
			new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATION)
				.withBean("userWebFilter", RequestCountingWebFilter.class, () -> webFilter)
				.run((context) -> assertThat(context.getBean(RequestCountingWebFilter.class)).isSameAs(webFilter));
		}
	}

}
