package dev.bootcluster.worker;

import java.util.function.Supplier;

import dev.bootcluster.scheduling.ClusterSingleton;

import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.core.Ordered;

/**
 * Proxies each bean with {@link ClusterSingleton} methods, as Spring's own {@code @Async}
 * post-processor does, so that a call of such a method asks for its lease first. It runs
 * before Spring's {@code ScheduledAnnotationBeanPostProcessor}, which then schedules the
 * proxy's method: every tick goes through the lease. No AspectJ weaving.
 * <p>
 * Threads: the application context's refresh (the main thread).
 */
public final class ClusterSingletonPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	public ClusterSingletonPostProcessor(Supplier<WorkerLeases> leases) {
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, ClusterSingleton.class, true),
				new ClusterSingletonInterceptor(leases));
		// Class-based: the scheduler calls the bean's own method, not an interface's.
		setProxyTargetClass(true);
		setBeforeExistingAdvisors(true);
		// Before ScheduledAnnotationBeanPostProcessor (the lowest precedence).
		setOrder(Ordered.LOWEST_PRECEDENCE - 1);
	}

}
