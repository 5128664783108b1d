package dev.bootcluster.messaging;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payloads to bytes and back: {@code String} as UTF-8, {@code byte[]} as is, anything
 * else as JSON through the application's {@link JsonMapper} (none: only text and bytes).
 * <p>
 * Threads: stateless; the mapper is thread-safe.
 */
final class PayloadCodec {

	private final @Nullable JsonMapper mapper;

	PayloadCodec(@Nullable JsonMapper mapper) {
		this.mapper = mapper;
	}

	byte[] encode(@Nullable Object payload) {
		if (payload == null) {
			return new byte[0];
		}
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		return json().writeValueAsBytes(payload);
	}

	@SuppressWarnings("unchecked")
	<T> @Nullable T decode(byte[] payload, Class<T> type) {
		if (type == byte[].class) {
			return (T) payload;
		}
		if (type == String.class) {
			return (T) new String(payload, StandardCharsets.UTF_8);
		}
		if (payload.length == 0 || type == Void.class) {
			return null;
		}
		return json().readValue(payload, type);
	}

	private JsonMapper json() {
		if (this.mapper == null) {
			throw new IllegalStateException(
					"Cluster messages other than String and byte[] need Jackson's JsonMapper, which this application does not have");
		}
		return this.mapper;
	}

}
