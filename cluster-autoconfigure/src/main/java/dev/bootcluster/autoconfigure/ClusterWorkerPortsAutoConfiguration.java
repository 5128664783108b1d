package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.ExtraPorts;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker: where it serves the application's extra ports, as a bean.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
public class ClusterWorkerPortsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExtraPorts clusterExtraPorts() {
		return new ExtraPorts(WorkerAgent.extraPorts());
	}

}
