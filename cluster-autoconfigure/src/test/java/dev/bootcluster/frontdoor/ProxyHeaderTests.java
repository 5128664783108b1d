package dev.bootcluster.frontdoor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeaderTests {

	@Test
	void ipv4() throws Exception {
		ByteBuffer header = ProxyHeader.of(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40000),
				new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
		assertThat(HexFormat.of().formatHex(header.array()))
			.isEqualTo("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "7f000002" + "7f000001" + "9c40" + "1f90");
	}

	@Test
	void ipv6OrMixedIsSentAsIpv6() throws Exception {
		ByteBuffer header = ProxyHeader.of(new InetSocketAddress(InetAddress.getByName("::1"), 1),
				new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2));
		byte[] bytes = new byte[header.remaining()];
		header.get(bytes);
		assertThat(bytes).hasSize(16 + 36);
		assertThat(bytes[13]).isEqualTo((byte) 0x21);
		assertThat(HexFormat.of().formatHex(bytes, 32, 48)).isEqualTo("00000000000000000000ffff7f000001");
	}

}
