package dev.bootcluster.autoconfigure;

import java.util.Map;

import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The properties a worker reported, as an Environment of their own: the primary reads a
 * new version's settings from it as it read its own at start, with nothing of its own
 * process (its system properties and environment variables reached the worker, and are in
 * the report already).
 */
final class ReportedEnvironment {

	private ReportedEnvironment() {
	}

	static ConfigurableEnvironment of(Map<String, String> properties) {
		ConfigurableEnvironment environment = new AbstractEnvironment() {
		};
		environment.getPropertySources().addFirst(new MapPropertySource("reported", Map.copyOf(properties)));
		return environment;
	}

}
