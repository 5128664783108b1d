package dev.bootcluster.worker;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class ProxiedConnectionTests {

	private static final byte[] SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

	@Test
	void readsAnIpv4Header() throws IOException {
		ByteBuffer fixed = fixed((byte) 0x11, 12);
		ByteBuffer addresses = ByteBuffer.allocate(12)
			.put(new byte[] { 127, 0, 0, 2 })
			.put(new byte[] { 10, 1, 2, 3 })
			.putShort((short) 54321)
			.putShort((short) 8080)
			.flip();
		assertThat(ProxiedConnection.addressLength(fixed)).isEqualTo(12);
		assertThat(ProxiedConnection.read(fixed, addresses))
			.isEqualTo(new ProxiedConnection("127.0.0.2", 54321, "10.1.2.3", 8080));
	}

	@Test
	void readsAnIpv6Header() throws IOException {
		byte[] client = new byte[16];
		client[15] = 1;
		byte[] target = new byte[16];
		target[0] = (byte) 0xfe;
		target[1] = (byte) 0x80;
		target[15] = 7;
		ByteBuffer addresses = ByteBuffer.allocate(36)
			.put(client)
			.put(target)
			.putShort((short) 40000)
			.putShort((short) 443)
			.flip();
		assertThat(ProxiedConnection.read(fixed((byte) 0x21, 36), addresses))
			.isEqualTo(new ProxiedConnection("0:0:0:0:0:0:0:1", 40000, "fe80:0:0:0:0:0:0:7", 443));
	}

	@Test
	void refusesWhatIsNotAProxyHeader() {
		ByteBuffer request = ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes());
		assertThatIOException().isThrownBy(() -> ProxiedConnection.addressLength(request))
			.withMessageContaining("No PROXY protocol v2 header");
	}

	@Test
	void refusesAnUnknownFamilyAndAShortHeader() {
		assertThatIOException()
			.isThrownBy(() -> ProxiedConnection.read(fixed((byte) 0x31, 216), ByteBuffer.allocate(216)))
			.withMessageContaining("address family");
		assertThatIOException().isThrownBy(() -> ProxiedConnection.read(fixed((byte) 0x11, 4), ByteBuffer.allocate(4)))
			.withMessageContaining("too short");
	}

	private static ByteBuffer fixed(byte family, int length) {
		return ByteBuffer.allocate(16).put(SIGNATURE).put((byte) 0x21).put(family).putShort((short) length).flip();
	}

}
