package dev.bootcluster.primary;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The cluster's HTTP sessions, as opaque bytes by session id: bounded in memory (the
 * least recently used go first when a save would exceed the bound), each expiring after
 * its own max inactive interval, which the worker sends with it. The primary never reads
 * what is in a session.
 * <p>
 * Threads: not thread-safe; the {@link SessionService} guards it with a lock.
 */
final class SessionStore {

	/**
	 * What a session costs besides its bytes: the map entry, the id, the entry object.
	 */
	static final int ENTRY_OVERHEAD = 160;

	private final long maxBytes;

	private final Ticker ticker;

	/** In access order: the eldest is the least recently used. */
	private final LinkedHashMap<String, Entry> sessions = new LinkedHashMap<>(64, 0.75f, true);

	private long bytes;

	private long evictions;

	private long expirations;

	SessionStore(long maxBytes, Ticker ticker) {
		this.maxBytes = maxBytes;
		this.ticker = ticker;
	}

	/** The session's bytes, or {@code null} if there is none or it has expired. */
	byte @Nullable [] get(String id) {
		Entry entry = this.sessions.get(id);
		if (entry == null) {
			return null;
		}
		long now = this.ticker.nanos();
		if (entry.expired(now)) {
			remove(id);
			this.expirations++;
			return null;
		}
		entry.lastAccess = now;
		return entry.data;
	}

	/**
	 * Keeps {@code data} as session {@code id}, instead of {@code previousId} when the id
	 * changed (as Spring Security changes it at login), evicting the least recently used
	 * sessions to stay within the bound.
	 * @return {@code false} if the session alone is larger than the bound (it is not
	 * kept, and neither is its previous id)
	 */
	boolean save(String id, @Nullable String previousId, Duration maxInactive, byte[] data) {
		if (previousId != null && !previousId.equals(id)) {
			remove(previousId);
		}
		remove(id);
		long size = size(id, data);
		if (size > this.maxBytes) {
			return false;
		}
		Iterator<Map.Entry<String, Entry>> eldest = this.sessions.entrySet().iterator();
		while (this.bytes + size > this.maxBytes && eldest.hasNext()) {
			Map.Entry<String, Entry> evicted = eldest.next();
			this.bytes -= size(evicted.getKey(), evicted.getValue().data);
			eldest.remove();
			this.evictions++;
		}
		this.sessions.put(id,
				new Entry(data, maxInactive.isNegative() ? -1 : maxInactive.toNanos(), this.ticker.nanos()));
		this.bytes += size;
		return true;
	}

	void delete(String id) {
		remove(id);
	}

	/** Removes every session idle for longer than its max inactive interval. */
	void expire() {
		long now = this.ticker.nanos();
		Iterator<Map.Entry<String, Entry>> all = this.sessions.entrySet().iterator();
		while (all.hasNext()) {
			Map.Entry<String, Entry> session = all.next();
			if (session.getValue().expired(now)) {
				this.bytes -= size(session.getKey(), session.getValue().data);
				all.remove();
				this.expirations++;
			}
		}
	}

	int count() {
		return this.sessions.size();
	}

	/** The memory the sessions take, as counted against the bound. */
	long bytes() {
		return this.bytes;
	}

	/** Sessions removed to make room since the primary started. */
	long evictions() {
		return this.evictions;
	}

	/** Sessions removed because they expired since the primary started. */
	long expirations() {
		return this.expirations;
	}

	private void remove(String id) {
		Entry removed = this.sessions.remove(id);
		if (removed != null) {
			this.bytes -= size(id, removed.data);
		}
	}

	private static long size(String id, byte[] data) {
		return ENTRY_OVERHEAD + 2L * id.length() + data.length;
	}

	private static final class Entry {

		private final byte[] data;

		/** Negative: never expires. */
		private final long maxInactiveNanos;

		private long lastAccess;

		Entry(byte[] data, long maxInactiveNanos, long lastAccess) {
			this.data = data;
			this.maxInactiveNanos = maxInactiveNanos;
			this.lastAccess = lastAccess;
		}

		boolean expired(long now) {
			return this.maxInactiveNanos >= 0 && now - this.lastAccess >= this.maxInactiveNanos;
		}

	}

}
