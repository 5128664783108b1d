package dev.bootcluster.autoconfigure;

import java.net.InetAddress;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PublicPortsTests {

	@Test
	void serverPortDefaultsTo8080OnEveryAddress() {
		assertThat(PublicPorts.of(new MockEnvironment())).containsExactly(new PublicPort(PortKind.SERVER, null, 8080));
	}

	@Test
	void serverAddressIsHonoured() throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "0")
			.withProperty("server.address", "127.0.0.1");
		assertThat(PublicPorts.of(environment))
			.containsExactly(new PublicPort(PortKind.SERVER, InetAddress.getByName("127.0.0.1"), 0));
	}

	@Test
	void aSeparateManagementPortIsFrontedToo() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080")
			.withProperty("management.server.port", "8081");
		assertThat(PublicPorts.of(environment)).containsExactly(new PublicPort(PortKind.SERVER, null, 8080),
				new PublicPort(PortKind.MANAGEMENT, null, 8081));
	}

	@Test
	void managementOnTheServerPortOrDisabledIsNotSeparate() {
		assertThat(PublicPorts.separateManagementPort(new MockEnvironment().withProperty("server.port", "8080")
			.withProperty("management.server.port", "8080"))).isFalse();
		assertThat(
				PublicPorts.separateManagementPort(new MockEnvironment().withProperty("management.server.port", "-1")))
			.isFalse();
		assertThat(PublicPorts.separateManagementPort(
				new MockEnvironment().withProperty("server.port", "0").withProperty("management.server.port", "0")))
			.isTrue();
	}

	@Test
	void noWebServerIsRefusedWithTheAllowedValues() {
		assertThatExceptionOfType(InvalidClusterPropertyException.class)
			.isThrownBy(() -> PublicPorts.of(new MockEnvironment().withProperty("server.port", "-1")))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("server.port");
				assertThat(ex.getAllowed()).contains("a port from 1 to 65535");
			});
		assertThatExceptionOfType(InvalidClusterPropertyException.class)
			.isThrownBy(() -> PublicPorts.of(new MockEnvironment().withProperty("server.port", "http")))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("http"));
	}

}
