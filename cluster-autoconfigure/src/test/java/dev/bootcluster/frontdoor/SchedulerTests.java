package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTests {

	private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

	private final Backend one = backend(1);

	private final Backend two = backend(2);

	private final Backend three = backend(3);

	private final List<Backend> all = List.of(this.one, this.two, this.three);

	@Test
	void roundRobinTakesTurns() {
		RoundRobin roundRobin = new RoundRobin();
		List<Integer> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(roundRobin.pick(this.all, List.of(), CLIENT).workerId());
		}
		assertThat(ids).containsExactly(1, 2, 3, 1, 2, 3);
	}

	@Test
	void roundRobinSkipsAWorkerThatHasNotTakenItsLastConnection() {
		RoundRobin roundRobin = new RoundRobin();
		this.two.connectStarted();
		List<Integer> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(roundRobin.pick(this.all, List.of(), CLIENT).workerId());
		}
		assertThat(ids).doesNotContain(2).contains(1, 3);
	}

	@Test
	void roundRobinSkipsAWorkerFarBehindTheOthers() {
		RoundRobin roundRobin = new RoundRobin();
		for (int i = 0; i < 100; i++) {
			this.three.opened();
		}
		for (int i = 0; i < 9; i++) {
			assertThat(roundRobin.pick(this.all, List.of(), CLIENT)).isNotSameAs(this.three);
		}
	}

	@Test
	void roundRobinStillServesWhenEveryWorkerLags() {
		this.all.forEach(Backend::connectStarted);
		assertThat(new RoundRobin().pick(this.all, List.of(), CLIENT)).isNotNull();
	}

	@Test
	void everyPolicyLeavesOutWorkersThatRefused() {
		for (Scheduler scheduler : List.of(new RoundRobin(), new LeastConnections(), new SourceIp())) {
			for (int i = 0; i < 5; i++) {
				assertThat(scheduler.pick(this.all, List.of(this.one, this.three), CLIENT)).isSameAs(this.two);
			}
			assertThat(scheduler.pick(this.all, this.all, CLIENT)).isNull();
			assertThat(scheduler.pick(List.of(), List.of(), CLIENT)).isNull();
		}
	}

	@Test
	void leastConnectionsPicksTheLeastBusy() {
		this.one.opened();
		this.one.opened();
		this.three.opened();
		assertThat(new LeastConnections().pick(this.all, List.of(), CLIENT)).isSameAs(this.two);
	}

	@Test
	void sourceIpIsStickyAndMovesOnlyTheClientsOfAWorkerThatLeft() throws UnknownHostException {
		SourceIp sourceIp = new SourceIp();
		Map<InetAddress, Integer> before = new HashMap<>();
		for (int i = 1; i <= 200; i++) {
			InetAddress client = InetAddress.getByName("10.0." + (i / 250) + "." + (i % 250));
			before.put(client, sourceIp.pick(this.all, List.of(), client).workerId());
			assertThat(sourceIp.pick(this.all, List.of(), client).workerId()).isEqualTo(before.get(client));
		}
		assertThat(before.values()).contains(1, 2, 3);
		List<Backend> withoutTwo = List.of(this.one, backend(3));
		before.forEach((client, id) -> {
			int after = sourceIp.pick(withoutTwo, List.of(), client).workerId();
			if (id != 2) {
				assertThat(after).as("a client of a worker that stayed does not move").isEqualTo(id);
			}
		});
	}

	private static Backend backend(int id) {
		return new Backend(id, 100 + id,
				Map.of(PortKind.SERVER, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000 + id)));
	}

}
