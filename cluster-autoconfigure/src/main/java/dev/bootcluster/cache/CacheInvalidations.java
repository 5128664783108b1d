package dev.bootcluster.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.bootcluster.messaging.ClusterListener;
import dev.bootcluster.messaging.ClusterTemplate;
import dev.bootcluster.messaging.ClusterTemplate.Acknowledgements;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Tells the other ready workers to drop what this one evicted, put or cleared, and waits
 * until each did, up to {@link #WAIT}: a worker still not done then is named in a WARN,
 * and may serve the stale entry until it is done. Drops what the other workers tell this
 * one, in its own caches only, never telling anyone again. A key that is not one of
 * {@link CacheKeys}' types clears the whole cache in the other workers instead.
 * <p>
 * Threads: any thread invalidates, and waits; the {@code cluster-messages} thread drops;
 * the context's thread registers the managers.
 */
public final class CacheInvalidations {

	private static final Log logger = LogFactory.getLog(CacheInvalidations.class);

	static final String TOPIC = "cluster-cache:invalidate";

	/**
	 * How long an eviction waits for the other workers: well under the exchange's 5 s, so
	 * that the primary names the late ones; long enough for a worker's GC pause.
	 */
	static final Duration WAIT = Duration.ofSeconds(2);

	private final Supplier<ClusterTemplate> template;

	private final Map<String, CacheManager> managers = new ConcurrentHashMap<>();

	public CacheInvalidations(Supplier<ClusterTemplate> template) {
		this.template = template;
	}

	/**
	 * The manager named {@code beanName}, whose caches the other workers' drops reach.
	 */
	void register(String beanName, CacheManager local) {
		this.managers.put(beanName, local);
	}

	/**
	 * Drops {@code key} ({@code null}: every entry) of {@code cache} in every other ready
	 * worker; returns once each did, or after {@link #WAIT}.
	 */
	void invalidate(String manager, String cache, @Nullable Object key) {
		byte[] keyBytes = (key != null) ? CacheKeys.write(key) : null;
		if (key != null && keyBytes == null) {
			logger.debug("Key of type " + key.getClass().getName() + " in cache '" + cache
					+ "' is not one every worker reads: the other workers clear the whole cache");
		}
		String what = (keyBytes != null) ? "an entry of cache '" + cache + "'" : "cache '" + cache + "'";
		try {
			Acknowledgements acknowledged = this.template.get()
				.broadcastAndWait(TOPIC, new Invalidation(manager, cache, keyBytes).toBytes(), WAIT)
				.get(WAIT.multipliedBy(5).toMillis(), TimeUnit.MILLISECONDS);
			if (!acknowledged.notHandled().isEmpty()) {
				logger.warn("Worker(s) " + acknowledged.notHandled() + " did not evict " + what + " within "
						+ WAIT.toMillis() + " ms: they may serve a stale entry until they do");
			}
		}
		catch (ExecutionException ex) {
			logger.warn("Could not evict " + what + " in the other workers: " + String.valueOf(ex.getCause()));
		}
		catch (TimeoutException ex) {
			logger.warn("Could not evict " + what + " in the other workers: the primary did not answer");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Drops what another worker evicted; a cache this worker never made stays unmade. */
	@ClusterListener(TOPIC)
	void invalidated(byte[] payload) throws Exception {
		Invalidation invalidation = Invalidation.fromBytes(payload);
		CacheManager manager = this.managers.get(invalidation.manager());
		if (manager == null || !manager.getCacheNames().contains(invalidation.cache())) {
			return;
		}
		Cache cache = manager.getCache(invalidation.cache());
		if (cache == null) {
			return;
		}
		byte[] key = invalidation.key();
		if (key == null) {
			cache.invalidate();
		}
		else {
			cache.evictIfPresent(CacheKeys.read(key));
		}
	}

}
