package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches in a worker of a cluster, where the {@link WorkerAgent} runs.
 */
class OnClusterWorkerCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return (WorkerAgent.current() != null) ? ConditionOutcome.match("this process is a cluster worker")
				: ConditionOutcome.noMatch("this process is not a cluster worker");
	}

}
