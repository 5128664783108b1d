package dev.bootcluster.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.interceptor.SimpleKey;

/**
 * Cache keys to bytes and back, for the keys that have the same form in every worker:
 * {@code String}, the boxed integers ({@code Long}, {@code Integer}, {@code Short},
 * {@code Byte}), {@code Boolean}, {@code Character}, {@code UUID}, enum constants, and
 * Spring's {@link SimpleKey} of those (a method with several parameters, or none). Java
 * serialization, limited to those types both ways: a worker reads nothing else.
 * <p>
 * Threads: stateless.
 */
final class CacheKeys {

	private static final Set<Class<?>> KEY_TYPES = Set.of(String.class, Long.class, Integer.class, Short.class,
			Byte.class, Number.class, Boolean.class, Character.class, UUID.class, SimpleKey.class, Object[].class);

	private static final ObjectInputFilter KEYS_ONLY = (info) -> {
		Class<?> type = info.serialClass();
		return (type == null || isKeyType(type)) ? ObjectInputFilter.Status.UNDECIDED
				: ObjectInputFilter.Status.REJECTED;
	};

	private CacheKeys() {
	}

	/** {@code key} as bytes, or {@code null} if it is not a key of the types above. */
	static byte @Nullable [] write(Object key) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new KeyOutputStream(bytes)) {
			out.writeObject(key);
		}
		catch (IOException ex) {
			return null;
		}
		return bytes.toByteArray();
	}

	/** The key {@link #write} wrote. */
	static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(KEYS_ONLY);
			return in.readObject();
		}
	}

	private static boolean isKeyType(Class<?> type) {
		return KEY_TYPES.contains(type) || Enum.class.isAssignableFrom(type);
	}

	/** Refuses every class but the key types as it writes. */
	private static final class KeyOutputStream extends ObjectOutputStream {

		KeyOutputStream(OutputStream out) throws IOException {
			super(out);
		}

		@Override
		protected void annotateClass(Class<?> type) throws IOException {
			if (!isKeyType(type)) {
				throw new NotSerializableException(type.getName() + " is not a cache key type every worker reads");
			}
		}

	}

}
