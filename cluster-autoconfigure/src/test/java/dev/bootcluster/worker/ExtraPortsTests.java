package dev.bootcluster.worker;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ExtraPortsTests {

	private final ExtraPorts ports = new ExtraPorts(Map.of("grpc", 41234));

	@Test
	void givesEachExtraPortsLoopbackPortByName() {
		assertThat(this.ports.port("grpc")).isEqualTo(41234);
		assertThat(this.ports.ports()).containsExactly(Map.entry("grpc", 41234));
	}

	@Test
	void anUnknownNameIsRefusedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.ports.port("rsocket"))
			.withMessageContaining("'rsocket'")
			.withMessageContaining("cluster.front-door.extra-ports")
			.withMessageContaining("grpc");
	}

}
