package dev.bootcluster.worker;

import java.util.function.Consumer;

import dev.bootcluster.channel.Notice;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * Tells the primary, once the app is ready, that it has scheduled tasks
 * ({@code @Scheduled}) while the cluster runs more than one worker: each worker runs them
 * on its own schedule, which an app written for one JVM may not expect. The primary logs
 * it once per cluster start.
 * <p>
 * Threads: Spring's event publisher (the main thread).
 */
public final class ScheduledTasksNotice implements ApplicationListener<ApplicationReadyEvent> {

	private final Consumer<Notice> primary;

	public ScheduledTasksNotice(WorkerAgent agent) {
		this(agent::tell);
	}

	ScheduledTasksNotice(Consumer<Notice> primary) {
		this.primary = primary;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		int workers = event.getApplicationContext()
			.getEnvironment()
			.getProperty("cluster.worker.count", Integer.class, 1);
		boolean scheduled = event.getApplicationContext()
			.getBeansOfType(ScheduledTaskHolder.class)
			.values()
			.stream()
			.anyMatch((holder) -> !holder.getScheduledTasks().isEmpty());
		if (workers > 1 && scheduled) {
			this.primary.accept(Notice.SCHEDULED_TASKS);
		}
	}

}
