package dev.bootcluster.autoconfigure;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import dev.bootcluster.frontdoor.PortInUseException;
import dev.bootcluster.frontdoor.PublicPort;
import dev.bootcluster.primary.ClusterSettings;
import dev.bootcluster.primary.Primary;
import dev.bootcluster.worker.WorkerAgent;

import org.jspecify.annotations.Nullable;
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
class ClusterRunListener implements SpringApplicationRunListener, Ordered {

	private final SpringApplication application;

	private @Nullable WorkerAgent agent;

	public ClusterRunListener(SpringApplication application, String[] args) {
		this.application = application;
	}

	@Override
	public int getOrder() {
		return 10;
	}

	@Override
	public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
			ConfigurableEnvironment environment) {
		switch (ClusterRole.of(environment)) {
			case PRIMARY -> {
				PrimaryBanner.print(this.application, environment);
				System.exit(runPrimary(environment));
			}
			case WORKER -> this.agent = WorkerAgent.start(environment);
			default -> {
			}
		}
	}

	/**
	 * Runs the cluster with settings bound from {@code environment}. A bad property or a
	 * port in use ends the run with an exception, which Boot's failure analysis reports
	 * as for any application that fails to start.
	 */
	private static int runPrimary(ConfigurableEnvironment environment) {
		ClusterSettings settings = ClusterSettingsBinder.bind(environment, Runtime.getRuntime().availableProcessors());
		List<PublicPort> ports = PublicPorts.of(environment);
		IgnoredSignals.warnIfAny();
		ClusterEndpointHint.logIfNotExposed(environment);
		try {
			String pidFile = environment.getProperty("spring.pid.file");
			return Primary.run(settings, ports, (pidFile != null && !pidFile.isBlank()) ? Path.of(pidFile) : null);
		}
		catch (PortInUseException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void contextPrepared(ConfigurableApplicationContext context) {
		if (this.agent != null) {
			context.addApplicationListener(this.agent);
		}
	}

	@Override
	public void failed(@Nullable ConfigurableApplicationContext context, Throwable exception) {
		if (this.agent != null) {
			this.agent.failed(exception);
		}
	}

}
