package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterControl;
import dev.bootcluster.actuate.ClusterEndpoint;
import dev.bootcluster.actuate.ClusterHealthIndicator;
import dev.bootcluster.actuate.ClusterMetrics;
import dev.bootcluster.actuate.ClusterPage;
import dev.bootcluster.actuate.ClusterPageViewers;
import dev.bootcluster.actuate.ClusterScaleEndpoint;
import dev.bootcluster.actuate.ServletSecurityPageViewers;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * In a worker with actuator: the {@code cluster} endpoint, health component and meters,
 * all answered by the primary over the control channel.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@Conditional(OnClusterWorkerCondition.class)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterControl clusterControl() {
		return new ClusterControl(WorkerAgent.running());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ClusterEndpoint clusterEndpoint(ClusterControl clusterControl, ClusterPage clusterPage,
			ClusterPageViewers clusterPageViewers) {
		return new ClusterEndpoint(clusterControl, clusterPage, clusterPageViewers);
	}

	/**
	 * The live view shows the buttons actuator maps: reload and restart when
	 * {@code cluster} allows writes, scale when {@code clusterscale} is there too.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
	ClusterPage clusterPage(ObjectProvider<EndpointAccessResolver> accessResolver,
			ObjectProvider<ClusterScaleEndpoint> scaleEndpoint) {
		EndpointAccessResolver access = accessResolver.getIfAvailable(() -> (id, defaultAccess) -> defaultAccess);
		return new ClusterPage(access.accessFor(EndpointId.of("cluster"), Access.READ_ONLY) == Access.UNRESTRICTED,
				scaleEndpoint.getIfAvailable() != null && access.accessFor(EndpointId.of(ClusterScaleEndpoint.ID),
						Access.NONE) == Access.UNRESTRICTED);
	}

	/**
	 * Without Spring Security anyone may {@code POST} what actuator maps. (The nested
	 * configurations come first, for an application with it.)
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
	ClusterPageViewers clusterPageViewers() {
		return ClusterPageViewers.ANYONE;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	ClusterScaleEndpoint clusterScaleEndpoint(ClusterControl clusterControl) {
		return new ClusterScaleEndpoint(clusterControl);
	}

	/**
	 * {@code clusterscale} lives at {@code cluster/scale}, beside the other cluster
	 * operations.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "clusterScalePathMapper")
	PathMapper clusterScalePathMapper() {
		return (endpointId) -> ClusterScaleEndpoint.ID.equals(endpointId.toString()) ? ClusterScaleEndpoint.PATH : null;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.web.access.WebInvocationPrivilegeEvaluator")
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServletSecurityViewersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
		ClusterPageViewers clusterPageViewers(ObjectProvider<WebInvocationPrivilegeEvaluator> privileges) {
			return new ServletSecurityPageViewers(privileges::getIfAvailable);
		}

	}

	/**
	 * With Spring Security in a reactive application, where there is no servlet request
	 * to ask its rules about: whoever has logged in sees the buttons.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.core.Authentication")
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class LoggedInViewersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(ClusterEndpoint.class)
		ClusterPageViewers clusterPageViewers() {
			return ClusterPageViewers.LOGGED_IN;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class ClusterHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("cluster")
		ClusterHealthIndicator clusterHealthIndicator(ClusterControl clusterControl, ClusterProperties properties) {
			return new ClusterHealthIndicator(clusterControl, properties.getMinReadyWorkers());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class ClusterMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ClusterMetrics clusterMetrics(ClusterControl clusterControl) {
			return new ClusterMetrics(clusterControl);
		}

	}

}
