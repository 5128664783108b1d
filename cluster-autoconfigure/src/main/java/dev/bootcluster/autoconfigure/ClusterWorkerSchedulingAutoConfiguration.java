package dev.bootcluster.autoconfigure;

import dev.bootcluster.scheduling.ClusterSingleton;
import dev.bootcluster.worker.ClusterEvents;
import dev.bootcluster.worker.ClusterLockProvider;
import dev.bootcluster.worker.ClusterSingletonPostProcessor;
import dev.bootcluster.worker.ScheduledTasksNotice;
import dev.bootcluster.worker.WorkerAgent;
import dev.bootcluster.worker.WorkerLeases;
import net.javacrumbs.shedlock.core.LockProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * In a worker: {@link ClusterSingleton} methods run in one worker at a time, on leases
 * the primary holds; with ShedLock on the class path and no {@code LockProvider} of the
 * application's, {@code @SchedulerLock} locks are such leases too. The user learns, once
 * per cluster start, that other scheduled tasks run in every worker.
 */
@AutoConfiguration(after = ClusterWorkerEventsAutoConfiguration.class)
@Conditional(OnClusterWorkerCondition.class)
public class ClusterWorkerSchedulingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ScheduledTasksNotice clusterScheduledTasksNotice() {
		return new ScheduledTasksNotice(WorkerAgent.running());
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerLeases clusterLeases(ClusterEvents events) {
		return new WorkerLeases(WorkerAgent.running(), events);
	}

	/** Static: a post-processor is created before the other beans. */
	@Bean
	static ClusterSingletonPostProcessor clusterSingletonPostProcessor(ObjectProvider<WorkerLeases> leases) {
		return new ClusterSingletonPostProcessor(leases::getObject);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LockProvider.class)
	static class ShedLockConfiguration {

		@Bean
		@ConditionalOnMissingBean(LockProvider.class)
		ClusterLockProvider clusterLockProvider(WorkerLeases leases) {
			return new ClusterLockProvider(leases);
		}

	}

}
