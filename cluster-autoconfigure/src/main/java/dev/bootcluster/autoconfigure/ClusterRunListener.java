package dev.bootcluster.autoconfigure;

import dev.bootcluster.primary.Primary;
import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Where the starter takes over: once config data and logging are ready (after Boot's own
 * run listener), a primary runs the cluster on the main thread and exits without ever
 * creating the application's context; a worker starts its {@link WorkerAgent}; anything
 * else is left alone.
 */
public class ClusterRunListener implements SpringApplicationRunListener, Ordered {

	private WorkerAgent agent;

	public ClusterRunListener(SpringApplication application, String[] args) {
	}

	@Override
	public int getOrder() {
		return 10;
	}

	@Override
	public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
			ConfigurableEnvironment environment) {
		switch (ClusterRole.of(environment)) {
			case PRIMARY -> System.exit(Primary.run(environment));
			case WORKER -> this.agent = WorkerAgent.start(environment);
			default -> {
			}
		}
	}

	@Override
	public void contextPrepared(ConfigurableApplicationContext context) {
		if (this.agent != null) {
			context.addApplicationListener(this.agent);
		}
	}

	@Override
	public void failed(ConfigurableApplicationContext context, Throwable exception) {
		if (this.agent != null) {
			this.agent.failed(exception);
		}
	}

}
