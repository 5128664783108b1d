package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.ScheduledTasksNotice;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker: the user learns, once per cluster start, that scheduled tasks run in every
 * worker.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
public class ClusterWorkerSchedulingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ScheduledTasksNotice clusterScheduledTasksNotice() {
		return new ScheduledTasksNotice(WorkerAgent.running());
	}

}
