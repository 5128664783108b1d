package dev.bootcluster.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Tells a new user, once as the primary starts, what the {@code cluster} endpoint needs
 * when it is not exposed over HTTP: actuator's exposure rules apply to it as to any
 * endpoint, so it is not, by default. The primary reads the same properties the workers
 * will.
 */
final class ClusterEndpointHint {

	private static final Log logger = LogFactory.getLog(ClusterEndpointHint.class);

	private static final String EXPOSURE = "management.endpoints.web.exposure";

	private static final boolean ACTUATOR_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter",
			ClusterEndpointHint.class.getClassLoader());

	private ClusterEndpointHint() {
	}

	/** Logs one INFO line when the {@code cluster} endpoint will not be reachable. */
	static void logIfNotExposed(Environment environment) {
		String hint = hint(environment);
		if (hint != null) {
			logger.info(hint);
		}
	}

	/** What to tell, or {@code null} when the endpoint is exposed over HTTP. */
	static @Nullable String hint(Environment environment) {
		if (!ACTUATOR_PRESENT) {
			return "GET /actuator/cluster (the cluster's workers and their state) needs "
					+ "spring-boot-starter-actuator and 'cluster' in " + EXPOSURE + ".include";
		}
		if (exposed(environment)) {
			return null;
		}
		return "The cluster endpoint is not exposed over HTTP: add 'cluster' to " + EXPOSURE
				+ ".include to read GET /actuator/cluster; reload and restart also need "
				+ "management.endpoint.cluster.access=unrestricted (and scaling 'clusterscale'), and your security "
				+ "rules should let only an administrator POST there";
	}

	/**
	 * The endpoint's upgrade operation as the application maps it (actuator's base path
	 * and the endpoint's path mapping), for the primary's messages that say to upgrade.
	 */
	static String upgradeRoute(Environment environment) {
		return "POST " + environment.getProperty("management.endpoints.web.base-path", "/actuator") + "/"
				+ environment.getProperty("management.endpoints.web.path-mapping.cluster", "cluster") + "/upgrade";
	}

	private static boolean exposed(Environment environment) {
		return new IncludeExcludeEndpointFilter<>(ExposableWebEndpoint.class, environment, EXPOSURE,
				EndpointExposure.WEB.getDefaultIncludes())
			.match(EndpointId.of("cluster"));
	}

}
