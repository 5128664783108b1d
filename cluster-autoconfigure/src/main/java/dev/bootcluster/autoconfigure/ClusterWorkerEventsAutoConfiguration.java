package dev.bootcluster.autoconfigure;

import dev.bootcluster.channel.Message;
import dev.bootcluster.membership.ClusterMembershipEvent;
import dev.bootcluster.worker.ClusterEvents;
import dev.bootcluster.worker.MembershipRelay;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker: what the cluster tells it becomes Spring application events, among them
 * the {@link ClusterMembershipEvent membership events}.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
public class ClusterWorkerEventsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterEvents clusterEvents(ApplicationEventPublisher publisher) {
		return new ClusterEvents(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	MembershipRelay clusterMembershipRelay(ClusterEvents events) {
		MembershipRelay relay = new MembershipRelay(events::publish);
		WorkerAgent.running().onPush(Message.Type.MEMBERSHIP, relay);
		return relay;
	}

}
