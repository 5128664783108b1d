package dev.bootcluster.autoconfigure;

import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The application's banner, printed once for the cluster by the primary, as the app's own
 * {@link SpringApplication} prints it ({@code spring.main.banner-mode},
 * {@code banner.txt}, a banner set in code): the primary takes over before Boot prints
 * one, and workers print none unless {@code cluster.worker.banner=true}. Boot has no
 * public way to print an application's banner, so this calls the two methods that
 * {@code SpringApplication.run} calls next; should they change, the primary prints no
 * banner and says so at DEBUG.
 */
final class PrimaryBanner {

	private static final Log logger = LogFactory.getLog(PrimaryBanner.class);

	private PrimaryBanner() {
	}

	static void print(SpringApplication application, ConfigurableEnvironment environment) {
		try {
			// spring.main.* (banner-mode among them) is bound only after the
			// environment is prepared, where the primary took over.
			invoke(application, "bindToSpringApplication", environment);
			invoke(application, "printBanner", environment);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not print the application's banner", ex);
		}
	}

	private static void invoke(SpringApplication application, String name, ConfigurableEnvironment environment)
			throws ReflectiveOperationException {
		Method method = SpringApplication.class.getDeclaredMethod(name, ConfigurableEnvironment.class);
		method.setAccessible(true);
		method.invoke(application, environment);
	}

}
