package dev.bootcluster.messaging;

import java.util.function.Supplier;

import dev.bootcluster.channel.Exchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

/**
 * A worker's messaging: collects the {@link ClusterListener} methods of the beans as they
 * are created, then {@linkplain #start starts} taking messages and gives the
 * {@link ClusterTemplate} to send them; relays {@link ClusterEvent}s once started.
 * <p>
 * Threads: the context's thread registers and starts; any publishing thread relays.
 */
public final class ClusterMessaging
		implements BeanPostProcessor, ApplicationListener<PayloadApplicationEvent<?>>, DisposableBean {

	private final ClusterListeners listeners = new ClusterListeners();

	private @Nullable MessageDispatcher dispatcher;

	private volatile @Nullable ClusterEventRelay events;

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
			ApplicationEventPublisher publisher, long maxSize, @Nullable ClassLoader classLoader) {
		PayloadCodec codec = new PayloadCodec(mapper);
		ClusterTemplate template = new ClusterTemplate(exchange, codec, maxSize);
		MessageDispatcher dispatcher = new MessageDispatcher(publisher, this.listeners, codec);
		ClusterEventRelay events = new ClusterEventRelay(template, codec, publisher, classLoader);
		dispatcher.relayEvents(events);
		this.dispatcher = dispatcher;
		this.events = events;
		exchange.get().onMessage(dispatcher);
		return template;
	}

	/** Relays the {@link ClusterEvent}s published here to the other workers. */
	@Override
	public void onApplicationEvent(PayloadApplicationEvent<?> event) {
		ClusterEventRelay events = this.events;
		if (events != null) {
			events.published(event.getPayload());
		}
	}

	@Override
	public void destroy() {
		if (this.dispatcher != null) {
			this.dispatcher.destroy();
		}
	}

}
