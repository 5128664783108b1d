package dev.bootcluster.autoconfigure;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.bootcluster.channel.WorkerEnvironment;
import dev.bootcluster.ctl.ClusterCtl;
import dev.bootcluster.frontdoor.PortInUseException;
import dev.bootcluster.primary.Primary;
import dev.bootcluster.primary.SettingsReader;
import dev.bootcluster.worker.WorkerAgent;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Where the starter takes over: a command line that asks for {@code cluster.ctl} runs it
 * and exits before anything else (no environment, no logging, no banner); otherwise, once
 * config data and logging are ready (after Boot's own run listener), a primary runs the
 * cluster on the main thread and exits without ever creating the application's context; a
 * worker starts its {@link WorkerAgent}; anything else is left alone.
 */
class ClusterRunListener implements SpringApplicationRunListener, Ordered {

	private final SpringApplication application;

	private final String[] args;

	private @Nullable WorkerAgent agent;

	public ClusterRunListener(SpringApplication application, String[] args) {
		this.application = application;
		this.args = args;
	}

	@Override
	public void starting(ConfigurableBootstrapContext bootstrapContext) {
		if (ClusterCtl.isAsked(this.args) && System.getenv(WorkerEnvironment.ID) == null
				&& !Boolean.getBoolean("spring.aot.processing")) {
			System.exit(ClusterCtl.run(this.args, applicationName()));
		}
	}

	/** The application's main class, which names its cluster for cluster.ctl. */
	private String applicationName() {
		Class<?> main = this.application.getMainApplicationClass();
		if (main != null) {
			return main.getName();
		}
		return this.application.getAllSources()
			.stream()
			.map((source) -> (source instanceof Class<?> type) ? type.getName() : source.toString())
			.findFirst()
			.orElse("the application");
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
				System.exit(runPrimary(environment, applicationName()));
			}
			case WORKER -> this.agent = WorkerAgent.start(environment);
			default -> {
			}
		}
	}

	/**
	 * Runs the cluster with settings bound from {@code environment}, and those a reload's
	 * new version reports read the same way. A bad property or a port in use ends the run
	 * with an exception, which Boot's failure analysis reports as for any application
	 * that fails to start.
	 */
	private static int runPrimary(ConfigurableEnvironment environment, String application) {
		SettingsReader.Reported settings = read(environment);
		IgnoredSignals.warnIfAny();
		ClusterEndpointHint.logIfNotExposed(environment);
		try {
			String pidFile = environment.getProperty("spring.pid.file");
			return Primary.run(settings.settings(), settings.ports(),
					(properties) -> read(ReportedEnvironment.of(properties)), application,
					(pidFile != null && !pidFile.isBlank()) ? Path.of(pidFile) : null,
					ClusterEndpointHint.upgradeRoute(environment));
		}
		catch (PortInUseException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Binds and validates the cluster's settings and public ports.
	 * @throws InvalidClusterPropertyException naming the first property that is wrong
	 */
	static SettingsReader.Reported read(Environment environment) {
		return new SettingsReader.Reported(
				ClusterSettingsBinder.bind(environment, Runtime.getRuntime().availableProcessors()),
				PublicPorts.of(environment));
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
