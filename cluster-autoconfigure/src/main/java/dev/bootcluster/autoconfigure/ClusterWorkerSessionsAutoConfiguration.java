package dev.bootcluster.autoconfigure;

import java.time.Duration;

import dev.bootcluster.worker.PrimarySessionRepository;
import dev.bootcluster.worker.PrimarySessions;
import dev.bootcluster.worker.ReactivePrimarySessionRepository;
import dev.bootcluster.worker.WorkerAgent;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.config.annotation.web.server.EnableSpringWebSession;

/**
 * In a worker of a web application: HTTP sessions kept by the primary
 * ({@code cluster.sessions.store=primary}, the default), through Spring Session: its
 * {@code SessionRepositoryFilter} for servlet apps (ordered before Spring Security's
 * filter) and its {@code WebSessionManager} for WebFlux. An application with a Spring
 * Session store of its own (a {@link SessionRepository} or
 * {@link ReactiveSessionRepository} bean) keeps it. Runs before Boot's own
 * {@code SessionAutoConfiguration}, which then applies the {@code spring.session.*}
 * settings it knows (cookie, filter order) to this repository too, and before WebFlux's,
 * whose own {@code webSessionManager} gives way to Spring Session's.
 */
@AutoConfiguration(beforeName = { "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration" })
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnClass(MapSession.class)
@ConditionalOnProperty(name = "cluster.sessions.store", havingValue = "primary", matchIfMissing = true)
@ConditionalOnMissingBean({ SessionRepository.class, ReactiveSessionRepository.class })
public class ClusterWorkerSessionsAutoConfiguration {

	/** Spring Session's default, as Boot's. */
	private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

	private static PrimarySessions primarySessions(Environment environment, ResourceLoader resourceLoader,
			String serverTimeout) {
		Binder binder = Binder.get(environment);
		Duration timeout = binder.bind("spring.session.timeout", Duration.class)
			.orElseGet(() -> binder.bind(serverTimeout, Duration.class).orElse(DEFAULT_TIMEOUT));
		ClassLoader classLoader = resourceLoader.getClassLoader();
		WorkerAgent agent = WorkerAgent.running();
		return new PrimarySessions(agent::exchange,
				(classLoader != null) ? classLoader : PrimarySessions.class.getClassLoader(), timeout);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@EnableSpringHttpSession
	static class ServletSessions {

		@Bean
		PrimarySessionRepository clusterSessionRepository(Environment environment, ResourceLoader resourceLoader) {
			return new PrimarySessionRepository(
					primarySessions(environment, resourceLoader, "server.servlet.session.timeout"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(Mono.class)
	@EnableSpringWebSession
	static class ReactiveSessions {

		@Bean
		ReactivePrimarySessionRepository clusterReactiveSessionRepository(Environment environment,
				ResourceLoader resourceLoader) {
			return new ReactivePrimarySessionRepository(
					primarySessions(environment, resourceLoader, "server.reactive.session.timeout"));
		}

	}

}
