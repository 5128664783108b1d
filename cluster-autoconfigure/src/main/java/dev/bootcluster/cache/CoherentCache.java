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
 * the same thread ({@link Misses}), as {@code @Cacheable} does; any other {@code put}
 * (such as {@code @CachePut}'s) is an update the other workers must not miss.
 * <p>
 * Threads: any thread.
 */
final class CoherentCache implements Cache {

	private final Cache local;

	private final String manager;

	private final CacheInvalidations invalidations;

	CoherentCache(Cache local, String manager, CacheInvalidations invalidations) {
		this.local = local;
		this.manager = manager;
		this.invalidations = invalidations;
	}

	/** The cache this one decorates. */
	Cache local() {
		return this.local;
	}

	private void remember(Object key, boolean hit) {
		if (hit) {
			Misses.forget(this);
		}
		else {
			Misses.missed(this, key);
		}
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
		remember(key, value != null);
		return value;
	}

	@Override
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		T value = this.local.get(key, type);
		remember(key, value != null);
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
		boolean fill = Misses.isFill(this, key);
		this.local.put(key, value);
		if (!fill) {
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
		Misses.forget(this);
		this.local.evict(key);
		this.invalidations.invalidate(this.manager, getName(), key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		Misses.forget(this);
		boolean present = this.local.evictIfPresent(key);
		this.invalidations.invalidate(this.manager, getName(), key);
		return present;
	}

	@Override
	public void clear() {
		Misses.forget(this);
		this.local.clear();
		this.invalidations.invalidate(this.manager, getName(), null);
	}

	@Override
	public boolean invalidate() {
		Misses.forget(this);
		boolean hadEntries = this.local.invalidate();
		this.invalidations.invalidate(this.manager, getName(), null);
		return hadEntries;
	}

}
