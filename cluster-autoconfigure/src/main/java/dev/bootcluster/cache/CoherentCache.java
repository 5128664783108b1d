package dev.bootcluster.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * A worker's cache whose evictions, puts and clears also drop the entry (or every entry)
 * in the other workers, through {@link CacheInvalidations}; reads, and the fills after a
 * miss, stay local. A fill is a {@code put} of the key whose {@code get} just missed on
 * the same thread, as {@code @Cacheable} does; any other {@code put} (such as
 * {@code @CachePut}'s) is an update the other workers must not miss.
 * <p>
 * Threads: any thread; the last missed key is each thread's own.
 */
final class CoherentCache implements Cache {

	private final Cache local;

	private final String manager;

	private final CacheInvalidations invalidations;

	private final ThreadLocal<@Nullable Object> missed = new ThreadLocal<>();

	CoherentCache(Cache local, String manager, CacheInvalidations invalidations) {
		this.local = local;
		this.manager = manager;
		this.invalidations = invalidations;
	}

	/** The cache this one decorates. */
	Cache local() {
		return this.local;
	}

	@Override
	public String getName() {
		return this.local.getName();
	}

	@Override
	public Object getNativeCache() {
		return this.local.getNativeCache();
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		ValueWrapper value = this.local.get(key);
		this.missed.set((value != null) ? null : key);
		return value;
	}

	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		T value = this.local.get(key, type);
		this.missed.set((value != null) ? null : key);
		return value;
	}

	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return this.local.get(key, valueLoader);
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		return this.local.retrieve(key);
	}

	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return this.local.retrieve(key, valueLoader);
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		Object missedKey = this.missed.get();
		this.missed.remove();
		this.local.put(key, value);
		if (!key.equals(missedKey)) {
			this.invalidations.invalidate(this.manager, getName(), key);
		}
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		// a fill: where the key is cached already, that value wins
		return this.local.putIfAbsent(key, value);
	}

	@Override
	public void evict(Object key) {
		this.missed.remove();
		this.local.evict(key);
		this.invalidations.invalidate(this.manager, getName(), key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		this.missed.remove();
		boolean present = this.local.evictIfPresent(key);
		this.invalidations.invalidate(this.manager, getName(), key);
		return present;
	}

	@Override
	public void clear() {
		this.missed.remove();
		this.local.clear();
		this.invalidations.invalidate(this.manager, getName(), null);
	}

	@Override
	public boolean invalidate() {
		this.missed.remove();
		boolean hadEntries = this.local.invalidate();
		this.invalidations.invalidate(this.manager, getName(), null);
		return hadEntries;
	}

}
