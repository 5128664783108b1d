package dev.bootcluster.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a worker bean's method as the receiver of messages on a topic, sent by another
 * worker with {@link ClusterTemplate}. The method takes the payload, converted to its
 * parameter's type ({@code String}, {@code byte[]} or JSON through the application's
 * {@code JsonMapper}), or no parameter; what it returns is the reply to a
 * {@link ClusterTemplate#request request}. Messages are handed to listeners one at a
 * time, in the order each sender sent them, on the {@code cluster-messages} thread.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterListener {

	/** The topic. */
	String value();

}
