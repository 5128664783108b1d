package dev.bootcluster.messaging;

import java.util.function.Supplier;

import dev.bootcluster.channel.Exchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationEventPublisher;

/**
 * A worker's messaging: collects the {@link ClusterListener} methods of the beans as they
 * are created, then {@linkplain #start starts} taking messages and gives the
 * {@link ClusterTemplate} to send them.
 * <p>
 * Threads: the context's thread.
 */
public final class ClusterMessaging implements BeanPostProcessor, DisposableBean {

	private final ClusterListeners listeners = new ClusterListeners();

	private @Nullable MessageDispatcher dispatcher;

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		this.listeners.register(bean);
		return bean;
	}

	/**
	 * Connects this worker to the exchange, so that other workers may reach it, and hands
	 * the messages it receives to the listeners.
	 * @param maxSize the largest payload this worker sends, in bytes
	 */
	public ClusterTemplate start(Supplier<Exchange> exchange, @Nullable JsonMapper mapper,
			ApplicationEventPublisher publisher, long maxSize) {
		PayloadCodec codec = new PayloadCodec(mapper);
		MessageDispatcher dispatcher = new MessageDispatcher(publisher, this.listeners, codec);
		this.dispatcher = dispatcher;
		exchange.get().onMessage(dispatcher);
		return new ClusterTemplate(exchange, codec, maxSize);
	}

	@Override
	public void destroy() {
		if (this.dispatcher != null) {
			this.dispatcher.destroy();
		}
	}

}
