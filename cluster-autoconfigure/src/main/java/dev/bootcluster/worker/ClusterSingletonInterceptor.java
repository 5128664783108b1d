package dev.bootcluster.worker;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.bootcluster.scheduling.ClusterSingleton;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Runs a {@link ClusterSingleton} method only while this worker holds its lease; in the
 * other workers the call does nothing (a {@code @Scheduled} method returns nothing).
 * <p>
 * Threads: whatever thread calls the method (the task scheduler's).
 */
final class ClusterSingletonInterceptor implements MethodInterceptor {

	private final Supplier<WorkerLeases> leases;

	private final Map<Method, String> names = new ConcurrentHashMap<>();

	ClusterSingletonInterceptor(Supplier<WorkerLeases> leases) {
		this.leases = leases;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		String name = this.names.computeIfAbsent(invocation.getMethod(), ClusterSingletonInterceptor::leaseName);
		WorkerLeases leases = this.leases.get();
		if (!leases.startRun(name)) {
			return null;
		}
		try {
			return invocation.proceed();
		}
		finally {
			leases.endRun(name);
		}
	}

	/** The annotation's name, or the method's class and name. */
	static String leaseName(Method method) {
		ClusterSingleton singleton = AnnotatedElementUtils.findMergedAnnotation(method, ClusterSingleton.class);
		if (singleton != null && StringUtils.hasText(singleton.value())) {
			return singleton.value();
		}
		return method.getDeclaringClass().getName() + "." + method.getName();
	}

}
