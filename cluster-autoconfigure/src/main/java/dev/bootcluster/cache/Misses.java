package dev.bootcluster.cache;

import java.util.HashMap;
import java.util.Map;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * The key each cache last missed, per thread: a {@code put} of that key is the fill that
 * follows the miss ({@code @Cacheable}, cache-aside code), not an update. Each invocation
 * of Spring's cache interceptor has misses of its own, forgotten when it returns: a miss
 * not followed by a put (the method threw, or {@code unless} said no) never makes a later
 * {@code @CachePut} on the same thread look like a fill.
 * <p>
 * Threads: each thread its own.
 */
final class Misses {

	private static final ThreadLocal<@Nullable Map<Cache, Object>> MISSED = new ThreadLocal<>();

	private Misses() {
	}

	static void missed(Cache cache, Object key) {
		Map<Cache, Object> missed = MISSED.get();
		if (missed == null) {
			missed = new HashMap<>();
			MISSED.set(missed);
		}
		missed.put(cache, key);
	}

	static void forget(Cache cache) {
		Map<Cache, Object> missed = MISSED.get();
		if (missed != null) {
			missed.remove(cache);
		}
	}

	/** Whether putting {@code key} in {@code cache} fills what it just missed. */
	static boolean isFill(Cache cache, Object key) {
		Map<Cache, Object> missed = MISSED.get();
		return missed != null && key.equals(missed.remove(cache));
	}

	/** Proceeds with a cache interceptor's invocation, with misses of its own. */
	static @Nullable Object within(MethodInvocation invocation) throws Throwable {
		Map<Cache, Object> outer = MISSED.get();
		MISSED.remove();
		try {
			return invocation.proceed();
		}
		finally {
			MISSED.set(outer);
		}
	}

}
