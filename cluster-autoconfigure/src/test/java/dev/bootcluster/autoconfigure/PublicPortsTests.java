package dev.bootcluster.autoconfigure;

import java.net.InetAddress;

import dev.bootcluster.frontdoor.PortKind;
import dev.bootcluster.frontdoor.PublicPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

	@Test
	void extraPortsAreNamedAndFrontedOnTheServersAddress() throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("server.address", "127.0.0.1")
			.withProperty("cluster.front-door.extra-ports", "grpc=9090, echo=0");
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		assertThat(PublicPorts.of(environment)).containsExactly(new PublicPort(PortKind.SERVER, loopback, 8080),
				new PublicPort(PortKind.extra("grpc"), loopback, 9090),
				new PublicPort(PortKind.extra("echo"), loopback, 0));
	}

	@Test
	void extraPortsBindAsAnIndexedList() {
		MockEnvironment environment = new MockEnvironment().withProperty("cluster.front-door.extra-ports[0]", "a=0")
			.withProperty("cluster.front-door.extra-ports[1]", "b=0");
		assertThat(PublicPorts.of(environment)).extracting(PublicPort::kind)
			.containsExactly(PortKind.SERVER, PortKind.extra("a"), PortKind.extra("b"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "grpc", "grpc=", "=9090", "grpc=abc", "grpc=-1", "grpc=65536", "gRPC=9090", "9grpc=1",
			"my_port=1", "server=9090", "management=9090", "grpc=8080", "grpc=8081", "grpc=9090,grpc=9091",
			"a=9090,b=9090", "a=0,a=0" })
	void aBadExtraPortIsRefusedNamingThePropertyAndTheValuesAllowed(String value) {
		MockEnvironment environment = new MockEnvironment().withProperty("management.server.port", "8081")
			.withProperty("cluster.front-door.extra-ports", value);
		assertThatExceptionOfType(InvalidClusterPropertyException.class).isThrownBy(() -> PublicPorts.of(environment))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("cluster.front-door.extra-ports");
				assertThat(ex.getAllowed()).contains("name=port").contains("not 'server' or 'management'");
			});
	}

	@Test
	void severalExtraPortsMayEachTakeAnyFreePort() {
		MockEnvironment environment = new MockEnvironment().withProperty("server.port", "0")
			.withProperty("cluster.front-door.extra-ports", "a=0,b=0");
		assertThat(PublicPorts.of(environment)).hasSize(3);
	}

}
