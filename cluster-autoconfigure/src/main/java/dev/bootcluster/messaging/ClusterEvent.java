package dev.bootcluster.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an application event type for the whole cluster: an instance published with the
 * {@code ApplicationEventPublisher} in one worker is also published, once, in every other
 * worker that is ready at that moment (never back in the sender; a worker that starts
 * later does not receive it). The type is a plain object or record (not an
 * {@code ApplicationEvent}) that the application's {@code JsonMapper} reads and writes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterEvent {

}
