package dev.bootcluster.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;

/**
 * What another worker is told to drop: one entry of a cache, or all of it.
 *
 * @param manager the cache manager's bean name
 * @param cache the cache's name
 * @param key the entry's key as {@link CacheKeys} writes it; {@code null} for the whole
 * cache
 */
record Invalidation(String manager, String cache, byte @Nullable [] key) {

	byte[] toBytes() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeUTF(this.manager);
			out.writeUTF(this.cache);
			out.writeInt((this.key != null) ? this.key.length : -1);
			if (this.key != null) {
				out.write(this.key);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static Invalidation fromBytes(byte[] bytes) throws IOException {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
			String manager = in.readUTF();
			String cache = in.readUTF();
			int length = in.readInt();
			return new Invalidation(manager, cache, (length < 0) ? null : in.readNBytes(length));
		}
	}

}
