package dev.bootcluster.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes what the cluster tells this worker (membership, leadership) as Spring
 * application events, in order, on a thread of its own: a slow listener delays the next
 * event, never the channel's reader (and so never a lease's answer or a heartbeat).
 * <p>
 * Threads: any thread may {@link #publish}; the {@code cluster-events} thread calls the
 * listeners.
 */
public final class ClusterEvents implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ClusterEvents.class);

	private final ApplicationEventPublisher publisher;

	private final ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-events");
		thread.setDaemon(true);
		return thread;
	});

	public ClusterEvents(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/** Publishes {@code event} after those published before it. */
	public void publish(Object event) {
		try {
			this.thread.execute(() -> {
				try {
					this.publisher.publishEvent(event);
				}
				catch (RuntimeException ex) {
					logger.warn("A listener failed on " + event + ": " + ex, ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// The context is closing: nobody listens any more.
		}
	}

	@Override
	public void destroy() {
		this.thread.shutdown();
	}

}
