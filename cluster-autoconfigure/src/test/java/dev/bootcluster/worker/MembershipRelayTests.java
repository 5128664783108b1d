package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.channel.Message;
import dev.bootcluster.membership.ReloadFinished;
import dev.bootcluster.membership.ReloadStarted;
import dev.bootcluster.membership.WorkerExited;
import dev.bootcluster.membership.WorkerReady;
import dev.bootcluster.membership.WorkerStarted;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MembershipRelay}: what the primary tells becomes the application's events. */
class MembershipRelayTests {

	private final List<Object> events = new ArrayList<>();

	private final MembershipRelay relay = new MembershipRelay(this.events::add);

	@Test
	void eachKindBecomesItsEvent() {
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "WORKER_STARTED", 2, 4242));
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "WORKER_READY", 2, 4242));
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "WORKER_EXITED", 2, 4242, 137, "SIGKILL"));
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "WORKER_EXITED", 3, 4343, 1, ""));
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "RELOAD_STARTED", "reload-1", "SIGHUP"));
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "RELOAD_FINISHED", "reload-1", "FAILED"));
		assertThat(this.events).containsExactly(new WorkerStarted(2, 4242), new WorkerReady(2, 4242),
				new WorkerExited(2, 4242, 137, "SIGKILL"), new WorkerExited(3, 4343, 1, null),
				new ReloadStarted("reload-1", "SIGHUP"), new ReloadFinished("reload-1", false));
	}

	@Test
	void aKindThisWorkerDoesNotKnowIsIgnored() {
		this.relay.accept(Message.of(Message.Type.MEMBERSHIP, "WORKER_PROMOTED", 2));
		assertThat(this.events).isEmpty();
	}

}
