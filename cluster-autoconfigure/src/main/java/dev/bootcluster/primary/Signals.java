package dev.bootcluster.primary;

import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import sun.misc.Signal;

/**
 * Turns the signals an operator sends the primary into requests to the arbiter, instead
 * of the JVM's default of exiting at once: SIGTERM and SIGINT stop the cluster
 * gracefully, SIGHUP reloads it.
 */
final class Signals {

	private static final Log logger = LogFactory.getLog(Signals.class);

	private Signals() {
	}

	static void onShutdown(Consumer<String> handler) {
		handle("TERM", handler);
		handle("INT", handler);
	}

	/** SIGHUP reloads every worker, as it does for Gunicorn and nginx. */
	static void onReload(Consumer<String> handler) {
		handle("HUP", handler);
	}

	private static void handle(String name, Consumer<String> handler) {
		try {
			Signal.handle(new Signal(name), (signal) -> handler.accept("SIG" + signal.getName()));
		}
		catch (IllegalArgumentException ex) {
			logger.debug("Signal SIG" + name + " cannot be handled here", ex);
		}
	}

}
