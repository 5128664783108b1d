package dev.bootcluster.sample;

import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@code sample.scheduled-task=true} gives the app an hourly {@code @Scheduled} task, as
 * many apps have: in a cluster it runs in every worker, and the primary says so once at
 * start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.scheduled-task", havingValue = "true")
@EnableScheduling
public class ScheduledTask {

	private static final Log logger = LogFactory.getLog(ScheduledTask.class);

	@Scheduled(initialDelay = 1, fixedDelay = 1, timeUnit = TimeUnit.HOURS)
	void hourly() {
		logger.info("The hourly task ran");
	}

}
