package dev.bootcluster.worker;

import java.util.function.Consumer;

import dev.bootcluster.channel.Notice;
import dev.bootcluster.channel.WorkerEnvironment;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Where Boot would generate a user password (no {@code spring.security.user.password}),
 * gives Boot's user the password the primary generated for the cluster instead, so that
 * one password works on every worker. Boot then logs no password in the worker; when its
 * generated user is in use (its {@code UserDetailsServiceAutoConfiguration} or the
 * reactive one did not back off), the primary is told, and logs the password once.
 * <p>
 * Threads: called by the application context's refresh, on the main thread.
 */
public final class SharedUserPassword implements BeanPostProcessor, ApplicationListener<ContextRefreshedEvent> {

	/** Boot's auto-configurations that create the generated user, by bean name. */
	private static final String[] GENERATED_USER_CONFIGURATIONS = {
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration" };

	/** Tells the primary ({@link WorkerAgent#tell}). */
	private final Consumer<Notice> primary;

	private final String password;

	private boolean shared;

	private boolean told;

	public SharedUserPassword(WorkerAgent agent) {
		this(agent::tell, System.getenv(WorkerEnvironment.USER_PASSWORD));
	}

	SharedUserPassword(Consumer<Notice> primary, String password) {
		this.primary = primary;
		this.password = password;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		// Bound by now: Boot binds configuration properties before any other
		// post-processor.
		if (bean instanceof SecurityProperties properties && properties.getUser().isPasswordGenerated()
				&& this.password != null) {
			properties.getUser().setPassword(this.password);
			this.shared = true;
		}
		return bean;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (this.shared && !this.told) {
			for (String configuration : GENERATED_USER_CONFIGURATIONS) {
				if (event.getApplicationContext().containsBean(configuration)) {
					this.told = true;
					this.primary.accept(Notice.GENERATED_PASSWORD);
					return;
				}
			}
		}
	}

}
