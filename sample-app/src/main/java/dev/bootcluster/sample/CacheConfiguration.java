package dev.bootcluster.sample;

import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Cache with each worker's caches in its own memory ({@link GreetingBook}); the
 * cluster keeps them coherent ({@code cluster.cache.coherent}, on by default).
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
public class CacheConfiguration {

	@Bean
	CacheManager cacheManager() {
		return new ConcurrentMapCacheManager();
	}

}
