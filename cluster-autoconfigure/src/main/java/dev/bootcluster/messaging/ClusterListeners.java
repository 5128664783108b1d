package dev.bootcluster.messaging;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link ClusterListener} methods of the worker's beans, by topic, and calls
 * them with a payload converted to their parameter's type.
 * <p>
 * Threads: the context's thread registers; the {@code cluster-messages} thread calls.
 */
final class ClusterListeners {

	private final Map<String, List<Listener>> byTopic = new ConcurrentHashMap<>();

	/** Registers {@code bean}'s listener methods. */
	void register(Object bean) {
		Class<?> type = AopUtils.getTargetClass(bean);
		Map<Method, ClusterListener> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<ClusterListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ClusterListener.class));
		methods.forEach((method, annotation) -> {
			if (method.getParameterCount() > 1) {
				throw new IllegalStateException(
						"@ClusterListener method " + method + " must take the payload or nothing");
			}
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			ReflectionUtils.makeAccessible(invocable);
			this.byTopic.computeIfAbsent(annotation.value(), (topic) -> new CopyOnWriteArrayList<>())
				.add(new Listener(bean, invocable));
		});
	}

	/**
	 * Calls the topic's listeners with {@code payload}; the reply is the last non-null
	 * value one returned.
	 */
	@Nullable Object deliver(String topic, byte[] payload, PayloadCodec codec) throws Exception {
		Object reply = null;
		for (Listener listener : this.byTopic.getOrDefault(topic, List.of())) {
			Object returned = listener.call(payload, codec);
			if (returned != null) {
				reply = returned;
			}
		}
		return reply;
	}

	private record Listener(Object bean, Method method) {

		@Nullable Object call(byte[] payload, PayloadCodec codec) throws Exception {
			Object[] arguments = (this.method.getParameterCount() == 0) ? new Object[0]
					: new Object[] { codec.decode(payload, this.method.getParameterTypes()[0]) };
			try {
				return this.method.invoke(this.bean, arguments);
			}
			catch (InvocationTargetException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}

	}

}
