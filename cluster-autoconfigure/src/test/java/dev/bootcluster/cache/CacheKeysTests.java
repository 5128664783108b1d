package dev.bootcluster.cache;

import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.time.DayOfWeek;
import java.util.Date;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CacheKeys}: the key types every worker reads come back equal (and with the same
 * hash); any other type is neither written nor read.
 */
class CacheKeysTests {

	@Test
	void theKeyTypesComeBackEqual() throws Exception {
		for (Object key : new Object[] { "ada", 42L, 7, (short) 3, (byte) 1, true, 'x', UUID.randomUUID(),
				DayOfWeek.MONDAY, SimpleKey.EMPTY, new SimpleKey("ada", 42L, DayOfWeek.FRIDAY) }) {
			byte[] bytes = CacheKeys.write(key);
			assertThat(bytes).as("%s written", key).isNotNull();
			Object read = CacheKeys.read(bytes);
			assertThat(read).as("%s read", key).isEqualTo(key);
			assertThat(read.hashCode()).isEqualTo(key.hashCode());
		}
	}

	@Test
	void otherTypesAreNotWritten() {
		assertThat(CacheKeys.write(new Person("ada"))).isNull();
		assertThat(CacheKeys.write(new Date())).isNull();
		assertThat(CacheKeys.write(new SimpleKey("ada", new Date()))).isNull();
		assertThat(CacheKeys.write(1.5d)).isNull();
	}

	@Test
	void otherTypesAreNotRead() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(new SimpleKey("ada", new Date()));
		}
		assertThatExceptionOfType(InvalidClassException.class).isThrownBy(() -> CacheKeys.read(bytes.toByteArray()))
			.withMessageContaining("REJECTED");
	}

	record Person(String name) implements java.io.Serializable {
	}

}
