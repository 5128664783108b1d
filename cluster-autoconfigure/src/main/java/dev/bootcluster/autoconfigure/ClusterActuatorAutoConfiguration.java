package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterControl;
import dev.bootcluster.actuate.ClusterEndpoint;
import dev.bootcluster.actuate.ClusterHealthIndicator;
import dev.bootcluster.actuate.ClusterMetrics;
import dev.bootcluster.actuate.ClusterScaleEndpoint;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

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
	ClusterEndpoint clusterEndpoint(ClusterControl clusterControl) {
		return new ClusterEndpoint(clusterControl);
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
