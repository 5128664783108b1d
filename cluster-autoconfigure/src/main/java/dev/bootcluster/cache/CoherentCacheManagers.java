package dev.bootcluster.cache;

import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheInterceptor;

/**
 * Makes each {@link CacheManager} bean of a worker hand out {@link CoherentCache}s: the
 * bean becomes a proxy of its own class (so it is still injected by that class) whose
 * {@code getCache} decorates what the manager returns. A manager that hands out another
 * manager's caches (a {@code CompositeCacheManager}) adds nothing: those are coherent
 * already. Spring's {@link CacheInterceptor} is proxied too, so that each of its
 * invocations has {@link Misses} of its own.
 * <p>
 * Threads: the context's thread proxies the managers; any thread asks them for caches.
 */
public final class CoherentCacheManagers implements BeanPostProcessor {

	private final Supplier<CacheInvalidations> invalidations;

	public CoherentCacheManagers(Supplier<CacheInvalidations> invalidations) {
		this.invalidations = invalidations;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof CacheInterceptor interceptor) {
			ProxyFactory proxy = new ProxyFactory(interceptor);
			proxy.setProxyTargetClass(true);
			proxy.addAdvice((MethodInterceptor) (invocation) -> "invoke".equals(invocation.getMethod().getName())
					? Misses.within(invocation) : invocation.proceed());
			return proxy.getProxy(interceptor.getClass().getClassLoader());
		}
		if (!(bean instanceof CacheManager manager)) {
			return bean;
		}
		CacheInvalidations invalidations = this.invalidations.get();
		invalidations.register(beanName, manager);
		ProxyFactory proxy = new ProxyFactory(manager);
		proxy.setProxyTargetClass(!Modifier.isFinal(manager.getClass().getModifiers()));
		proxy.addAdvice(new CoherentGetCache(beanName, invalidations));
		return proxy.getProxy(manager.getClass().getClassLoader());
	}

	/** Decorates each cache {@code getCache} returns, once per cache. */
	private static final class CoherentGetCache implements MethodInterceptor {

		private final String manager;

		private final CacheInvalidations invalidations;

		private final Map<Cache, CoherentCache> decorated = new ConcurrentHashMap<>();

		CoherentGetCache(String manager, CacheInvalidations invalidations) {
			this.manager = manager;
			this.invalidations = invalidations;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Object result = invocation.proceed();
			if (!"getCache".equals(invocation.getMethod().getName()) || !(result instanceof Cache cache)
					|| cache instanceof CoherentCache) {
				return result;
			}
			return this.decorated.computeIfAbsent(cache,
					(local) -> new CoherentCache(local, this.manager, this.invalidations));
		}

	}

}
