package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.SharedUserPassword;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker with Spring Security: one generated password for the whole cluster, the
 * primary's, where Boot would generate one per JVM.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnClass(SecurityProperties.class)
public class ClusterWorkerSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static SharedUserPassword clusterSharedUserPassword() {
		return new SharedUserPassword(WorkerAgent.running());
	}

}
