package dev.bootcluster.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.WorkerEnvironment;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The settings a worker reports to its primary ({@link Message.Type#SETTINGS}): the
 * {@code cluster.*} properties its Environment has (its jar's files, the environment, the
 * command line), and those of the public ports, read before the worker moves its servers
 * to the internal hop. The variables the primary sets for a launch
 * ({@link WorkerEnvironment}) are not the app's settings and stay out.
 */
final class SettingsReport {

	private static final List<String> PORTS = List.of("server.port", "server.address", "management.server.port",
			"management.server.address");

	private SettingsReport() {
	}

	static Message of(Environment environment) {
		List<Object> fields = new ArrayList<>();
		Binder.get(environment)
			.bind("cluster", Bindable.mapOf(String.class, String.class))
			.orElse(Map.of())
			.forEach((name, value) -> {
				if (!WorkerEnvironment.isLaunchVariable("cluster." + name)) {
					fields.add("cluster." + name + "=" + value);
				}
			});
		for (String name : PORTS) {
			String value = environment.getProperty(name);
			if (value != null) {
				fields.add(name + "=" + value);
			}
		}
		return Message.of(Message.Type.SETTINGS, fields.toArray());
	}

}
