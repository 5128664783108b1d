package dev.bootcluster.channel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InternalPortsTests {

	@Test
	void crossesTheEnvironmentWholeAndInOrder() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("grpc", 41234);
		ports.put("echo-2", 41235);
		String text = InternalPorts.encode(ports);
		assertThat(text).isEqualTo("grpc=41234,echo-2=41235");
		assertThat(InternalPorts.decode(text)).containsExactly(Map.entry("grpc", 41234), Map.entry("echo-2", 41235));
	}

	@Test
	void noneIsEmpty() {
		assertThat(InternalPorts.encode(Map.of())).isEmpty();
		assertThat(InternalPorts.decode("")).isEmpty();
	}

}
