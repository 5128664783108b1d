package dev.bootcluster.worker;

import java.util.function.Consumer;

import dev.bootcluster.channel.Message;
import dev.bootcluster.membership.ClusterMembershipEvent;
import dev.bootcluster.membership.ReloadFinished;
import dev.bootcluster.membership.ReloadStarted;
import dev.bootcluster.membership.WorkerExited;
import dev.bootcluster.membership.WorkerReady;
import dev.bootcluster.membership.WorkerStarted;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns each {@link Message.Type#MEMBERSHIP} the primary sends into a
 * {@link ClusterMembershipEvent} for the application; a kind this worker does not know (a
 * newer primary's) is ignored.
 * <p>
 * Threads: the channel's reader calls {@link #accept}; {@code events} must not block.
 */
public final class MembershipRelay implements Consumer<Message> {

	private static final Log logger = LogFactory.getLog(MembershipRelay.class);

	private final Consumer<Object> events;

	public MembershipRelay(Consumer<Object> events) {
		this.events = events;
	}

	@Override
	public void accept(Message message) {
		ClusterMembershipEvent event = event(message);
		if (event != null) {
			this.events.accept(event);
		}
		else {
			logger.debug("Ignored a membership message of an unknown kind: " + message);
		}
	}

	static @Nullable ClusterMembershipEvent event(Message message) {
		return switch (message.field(0)) {
			case "WORKER_STARTED" -> new WorkerStarted(message.intField(1), message.longField(2));
			case "WORKER_READY" -> new WorkerReady(message.intField(1), message.longField(2));
			case "WORKER_EXITED" -> new WorkerExited(message.intField(1), message.longField(2), message.intField(3),
					message.field(4).isEmpty() ? null : message.field(4));
			case "RELOAD_STARTED" -> new ReloadStarted(message.field(1), message.field(2));
			case "RELOAD_FINISHED" -> new ReloadFinished(message.field(1), "SUCCEEDED".equals(message.field(2)));
			default -> null;
		};
	}

}
