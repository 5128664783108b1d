package dev.bootcluster.channel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.bootcluster.cache.CacheInvalidations;
import dev.bootcluster.cache.CoherentCacheManagers;
import dev.bootcluster.messaging.ClusterListener;
import dev.bootcluster.messaging.ClusterMessaging;
import dev.bootcluster.messaging.ClusterTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Coherent caches over a real exchange and router, with workers made as the context makes
 * them ({@link CoherentCacheManagers}, {@link CacheInvalidations},
 * {@link ClusterMessaging}): a put, an eviction or a clear in one worker is gone from
 * every other worker when the call returns, with {@code ConcurrentMapCacheManager} and
 * Caffeine; fills after a miss (as {@code @Cacheable} does) stay local; a late worker is
 * named.
 */
@ExtendWith(OutputCaptureExtension.class)
class CoherentCachesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private RoutedExchange routed;

	private final List<Worker> workers = new CopyOnWriteArrayList<>();

	@BeforeEach
	void open() throws IOException {
		this.routed = RoutedExchange.open(this.directory);
	}

	@AfterEach
	void close() throws IOException {
		this.workers.forEach((worker) -> worker.blocked.countDown());
		this.routed.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "concurrent-map", "caffeine" })
	void aPutAnEvictionOrAClearInOneWorkerIsGoneFromTheOthersWhenItReturns(String kind) {
		Supplier<CacheManager> managers = "caffeine".equals(kind) ? CaffeineCacheManager::new
				: ConcurrentMapCacheManager::new;
		Worker one = worker(1, managers.get());
		Worker two = worker(2, managers.get());
		Worker three = worker(3, managers.get());
		assertThat(one.manager).isInstanceOf(managers.get().getClass());

		fill(List.of(one, two, three), "greetings", "ada");
		one.cache("greetings").put("ada", "hi ada");
		assertThat(one.local("greetings").get("ada", String.class)).isEqualTo("hi ada");
		assertThat(two.local("greetings").get("ada")).as("evicted in worker 2").isNull();
		assertThat(three.local("greetings").get("ada")).as("evicted in worker 3").isNull();

		fill(List.of(two, three), "greetings", "ada");
		two.cache("greetings").evict("ada");
		assertThat(one.local("greetings").get("ada")).isNull();
		assertThat(three.local("greetings").get("ada")).isNull();

		fill(List.of(one, two, three), "greetings", "ada");
		fill(List.of(one, two, three), "other", "ada");
		three.cache("greetings").clear();
		for (Worker worker : List.of(one, two, three)) {
			assertThat(worker.local("greetings").get("ada")).isNull();
			assertThat(worker.local("other").get("ada")).as("another cache").isNotNull();
		}
	}

	@Test
	void fillsAfterAMissStayLocalAndCachePutEvictsTheOthers() {
		Worker one = worker(1, new ConcurrentMapCacheManager());
		Worker two = worker(2, new ConcurrentMapCacheManager());
		Greetings greetings = cached(one, new Greetings("hello"));
		fill(List.of(two), "greetings", "ada");

		assertThat(greetings.greeting("ada")).isEqualTo("hello ada");
		assertThat(one.local("greetings").get("ada", String.class)).isEqualTo("hello ada");
		assertThat(two.local("greetings").get("ada", String.class)).as("worker 1's fill left worker 2's alone")
			.isEqualTo("ada from the source");

		assertThat(greetings.update("ada", "hi")).isEqualTo("hi ada");
		assertThat(greetings.greeting("ada")).isEqualTo("hi ada");
		assertThat(two.local("greetings").get("ada")).as("@CachePut evicted it in worker 2").isNull();

		// a miss that was not filled (unless) leaves no trace for a later @CachePut
		fill(List.of(two), "greetings", "bob");
		assertThat(greetings.unknown("bob")).isNull();
		greetings.update("bob", "hey");
		assertThat(two.local("greetings").get("bob")).as("@CachePut after an unfilled miss evicted it in worker 2")
			.isNull();
	}

	@Test
	void keysOfSeveralPartsAreEvictedAndOtherKeysClearTheCache() {
		Worker one = worker(1, new ConcurrentMapCacheManager());
		Worker two = worker(2, new ConcurrentMapCacheManager());
		SimpleKey key = new SimpleKey("ada", 36L);
		two.local("people").put(key, "Ada, 36");
		two.local("people").put("bob", "Bob");
		one.cache("people").evict(key);
		assertThat(two.local("people").get(key)).isNull();
		assertThat(two.local("people").get("bob")).isNotNull();

		two.local("people").put(new Person("ada"), "Ada");
		one.cache("people").evict(new Person("ada"));
		assertThat(two.local("people").get("bob")).as("a key worker 2 cannot read: the whole cache cleared").isNull();
		assertThat(two.local("people").get(new Person("ada"))).isNull();
	}

	@Test
	void aWorkerThatDoesNotEvictInTimeIsNamedAndCatchesUpLater(CapturedOutput output) throws Exception {
		Worker one = worker(1, new ConcurrentMapCacheManager());
		Worker two = worker(2, new ConcurrentMapCacheManager());
		Worker three = worker(3, new ConcurrentMapCacheManager());
		fill(List.of(two, three), "greetings", "ada");
		// worker 3's messages wait behind a listener that does not return
		CompletableFuture<Void> blocking = one.template.get().send(3, "block", "");
		await().atMost(TIMEOUT).until(() -> three.blocked.getCount() == 1 && three.blocking.get());
		long start = System.nanoTime();
		one.cache("greetings").evict("ada");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for worker 3")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(two.local("greetings").get("ada")).isNull();
		assertThat(output).contains("Worker(s) [3] did not evict an entry of cache 'greetings' within 2000 ms");
		three.blocked.countDown();
		blocking.get(20, TimeUnit.SECONDS);
		await().atMost(TIMEOUT).until(() -> three.local("greetings").get("ada") == null);
	}

	@Test
	void aLoneWorkerDoesNotWait(CapturedOutput output) {
		Worker one = worker(1, new ConcurrentMapCacheManager());
		one.cache("greetings").put("ada", "hi");
		one.cache("greetings").clear();
		assertThat(one.local("greetings").get("ada")).isNull();
		assertThat(output).doesNotContain("did not evict").doesNotContain("Could not evict");
	}

	/**
	 * Caches {@code key} in {@code cache} of each worker, as a read after a miss does.
	 */
	private static void fill(List<Worker> workers, String cache, Object key) {
		for (Worker worker : workers) {
			assertThat(worker.cache(cache).get(key)).isNull();
			worker.cache(cache).put(key, key + " from the source");
		}
	}

	private Worker worker(int id, CacheManager local) {
		Exchange exchange = this.routed.connect(id, TIMEOUT);
		AtomicReference<ClusterTemplate> template = new AtomicReference<>();
		CacheInvalidations invalidations = new CacheInvalidations(template::get);
		Worker worker = new Worker(local, template);
		ClusterMessaging messaging = new ClusterMessaging();
		messaging.postProcessAfterInitialization(invalidations, "clusterCacheInvalidations");
		messaging.postProcessAfterInitialization(worker, "blocker");
		worker.managers = new CoherentCacheManagers(() -> invalidations);
		worker.manager = (CacheManager) worker.managers.postProcessAfterInitialization(local, "cacheManager");
		template.set(messaging.start(() -> exchange, null, (event) -> {
		}, 1024 * 1024, getClass().getClassLoader()));
		// connected once the router answers this worker
		assertThatExceptionOfType(Exception.class)
			.isThrownBy(() -> template.get().send(0, "probe", "").get(20, TimeUnit.SECONDS));
		this.workers.add(worker);
		return worker;
	}

	/**
	 * {@code target} with Spring's cache interceptor, as the worker's context makes it.
	 */
	private static Greetings cached(Worker worker, Greetings target) {
		CacheInterceptor interceptor = new CacheInterceptor();
		interceptor.setCacheOperationSource(new AnnotationCacheOperationSource());
		interceptor.setCacheManager(worker.manager);
		interceptor.afterPropertiesSet();
		interceptor.afterSingletonsInstantiated();
		ProxyFactory proxy = new ProxyFactory(target);
		proxy.setProxyTargetClass(true);
		proxy.addAdvice(
				(CacheInterceptor) worker.managers.postProcessAfterInitialization(interceptor, "cacheInterceptor"));
		return (Greetings) proxy.getProxy();
	}

	/**
	 * One worker: its coherent manager, the local one behind it, and a listener that
	 * blocks.
	 */
	static final class Worker {

		final CacheManager localManager;

		final AtomicReference<ClusterTemplate> template;

		final CountDownLatch blocked = new CountDownLatch(1);

		final AtomicReference<Boolean> blocking = new AtomicReference<>(false);

		CoherentCacheManagers managers;

		CacheManager manager;

		Worker(CacheManager localManager, AtomicReference<ClusterTemplate> template) {
			this.localManager = localManager;
			this.template = template;
		}

		Cache cache(String name) {
			return this.manager.getCache(name);
		}

		Cache local(String name) {
			return this.localManager.getCache(name);
		}

		@ClusterListener("block")
		void block() throws InterruptedException {
			this.blocking.set(true);
			this.blocked.await(30, TimeUnit.SECONDS);
		}

	}

	static class Greetings {

		private String word;

		Greetings(String word) {
			this.word = word;
		}

		@Cacheable("greetings")
		public String greeting(String name) {
			return this.word + " " + name;
		}

		@Cacheable(cacheNames = "greetings", unless = "#result == null")
		public String unknown(String name) {
			return null;
		}

		@CachePut(cacheNames = "greetings", key = "#name")
		public String update(String name, String word) {
			this.word = word;
			return word + " " + name;
		}

	}

	record Person(String name) {
	}

}
