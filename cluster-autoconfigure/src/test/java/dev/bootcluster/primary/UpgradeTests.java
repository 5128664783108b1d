package dev.bootcluster.primary;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new primary reads from its environment about the primary it upgrades.
 */
class UpgradeTests {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void thePredecessorIsThePidInTheEnvironment() {
		assertThat(Upgrade.predecessor(Map.of(Upgrade.UPGRADE_OF, "4242"))).isEqualTo(4242L);
		assertThat(Upgrade.predecessor(Map.of())).isNull();
		assertThat(Upgrade.predecessor(Map.of(Upgrade.UPGRADE_OF, "42a"))).isNull();
	}

	@Test
	void aPortConfiguredZeroKeepsThePortThePredecessorServes() {
		List<PublicPort> configured = List.of(new PublicPort(PortKind.SERVER, null, 0),
				new PublicPort(PortKind.MANAGEMENT, LOOPBACK, 9001), new PublicPort(PortKind.extra("grpc"), null, 0));
		List<PublicPort> resolved = Upgrade.withPredecessorPorts(configured,
				Map.of(Upgrade.PORTS, "server=8080,management=8081,grpc=9090"));
		assertThat(resolved).containsExactly(new PublicPort(PortKind.SERVER, null, 8080),
				new PublicPort(PortKind.MANAGEMENT, LOOPBACK, 9001),
				new PublicPort(PortKind.extra("grpc"), null, 9090));
	}

	@Test
	void portsAreAsConfiguredWithoutAPredecessor() {
		List<PublicPort> configured = List.of(new PublicPort(PortKind.SERVER, null, 0));
		assertThat(Upgrade.withPredecessorPorts(configured, Map.of())).isEqualTo(configured);
		assertThat(Upgrade.withPredecessorPorts(configured, Map.of(Upgrade.PORTS, "server=x,=,junk")))
			.isEqualTo(configured);
	}

	@Test
	void thePortsAreDescribedAsTheNewPrimaryReadsThem() {
		List<PublicPort> bound = List.of(new PublicPort(PortKind.SERVER, null, 8080),
				new PublicPort(PortKind.extra("grpc"), null, 9090));
		assertThat(Upgrade.withPredecessorPorts(
				List.of(new PublicPort(PortKind.SERVER, null, 0), new PublicPort(PortKind.extra("grpc"), null, 0)),
				Map.of(Upgrade.PORTS, Upgrade.describe(bound))))
			.isEqualTo(bound);
	}

}
