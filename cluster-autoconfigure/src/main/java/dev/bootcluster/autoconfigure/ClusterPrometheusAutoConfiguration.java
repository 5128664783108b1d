package dev.bootcluster.autoconfigure;

import dev.bootcluster.actuate.ClusterPrometheusScrapeEndpoint;
import dev.bootcluster.worker.WorkerAgent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.ConditionalOnEnabledMetricsExport;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker with Prometheus: a {@code prometheus} endpoint that covers the whole
 * cluster, in place of Boot's own (which backs off, being
 * {@code @ConditionalOnMissingBean}).
 */
@AutoConfiguration(before = PrometheusMetricsExportAutoConfiguration.class)
@ConditionalOnClass({ PrometheusMeterRegistry.class, PrometheusScrapeEndpoint.class,
		ConditionalOnAvailableEndpoint.class })
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnEnabledMetricsExport("prometheus")
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterPrometheusAutoConfiguration {

	static final String SCRAPE_TIMEOUT = "cluster.metrics.scrape-timeout";

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(PrometheusScrapeEndpoint.class)
	PrometheusScrapeEndpoint prometheusEndpoint(PrometheusRegistry prometheusRegistry,
			PrometheusConfig prometheusConfig, MeterRegistry meterRegistry, ClusterProperties properties) {
		// The primary has checked the timeout before it forked this worker.
		return new ClusterPrometheusScrapeEndpoint(prometheusRegistry, prometheusConfig.prometheusProperties(),
				WorkerAgent.running(), properties.getMetrics().getScrapeTimeout(), meterRegistry);
	}

}
