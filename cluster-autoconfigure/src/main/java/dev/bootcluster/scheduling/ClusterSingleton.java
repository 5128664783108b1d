package dev.bootcluster.scheduling;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @Scheduled} method in one worker of the cluster at a time: the worker
 * that holds the method's lease, which the primary grants to one ready worker and keeps
 * for it while it is alive and ready. The other workers skip the tick. When the holder
 * exits, is killed, hangs or leaves the rotation (recycle, reload, scale-down, stop),
 * another worker takes over at its next tick: within one schedule period plus
 * {@code cluster.worker.heartbeat-timeout}. Outside a cluster the method runs as usual.
 * <p>
 * The method is called through a proxy of its bean, so it must not be private or final; a
 * direct call of it from another bean is a tick too.
 *
 * @see ClusterLeadershipGranted
 * @see ClusterLeadershipRevoked
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterSingleton {

	/**
	 * The lease's name, shared by every method that names it (and with ShedLock's lock
	 * names); by default the method's class and name, {@code com.example.Jobs.report}.
	 * @return the lease's name
	 */
	String value() default "";

}
