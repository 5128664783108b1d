package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.WorkerAgents;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterWorkerCacheAutoConfiguration}: a worker's cache manager hands out
 * coherent caches and is still injected by its own class, unless
 * {@code cluster.cache.coherent=false}; outside a worker nothing changes.
 */
class ClusterWorkerCacheAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ClusterWorkerCacheAutoConfiguration.class))
		.withBean(ConcurrentMapCacheManager.class);

	@Test
	void aWorkersCachesAreCoherentByDefault() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.run((context) -> {
				assertThat(context).hasSingleBean(ConcurrentMapCacheManager.class);
				assertThat(context.getBean(CacheManager.class).getCache("greetings"))
					.isNotInstanceOf(ConcurrentMapCache.class);
			});
		}
	}

	@Test
	void coherentFalseLeavesTheCachesAlone() {
		try (WorkerAgents.Installed worker = WorkerAgents.install()) {
			this.runner.withPropertyValues("cluster.cache.coherent=false")
				.run((context) -> assertThat(context.getBean(CacheManager.class).getCache("greetings"))
					.isInstanceOf(ConcurrentMapCache.class));
		}
	}

	@Test
	void aPlainApplicationOrAPrimaryKeepsItsCaches() {
		this.runner.run((context) -> assertThat(context.getBean(CacheManager.class).getCache("greetings"))
			.isInstanceOf(ConcurrentMapCache.class));
		this.runner.withPropertyValues("cluster.workers=2")
			.run((context) -> assertThat(context.getBean(CacheManager.class).getCache("greetings"))
				.isInstanceOf(ConcurrentMapCache.class));
	}

}
