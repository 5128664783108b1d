package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.RequestCountingFilter;
import dev.bootcluster.worker.RequestCountingWebFilter;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * In a worker: counts the application's requests, for {@code cluster.worker.max-requests}
 * and the endpoint.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
public class ClusterWorkerRequestsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "jakarta.servlet.Filter")
	static class ServletRequestCounting {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		@ConditionalOnMissingBean
		RequestCountingFilter clusterRequestCountingFilter() {
			return new RequestCountingFilter(WorkerAgent.running());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
	static class ReactiveRequestCounting {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		@ConditionalOnMissingBean
		RequestCountingWebFilter clusterRequestCountingWebFilter() {
			return new RequestCountingWebFilter(WorkerAgent.running());
		}

	}

}
