package dev.bootcluster.primary;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import sun.misc.Signal;

/**
 * Turns the signals an operator sends the primary into requests to the arbiter, instead
 * of the JVM's default of exiting at once: SIGTERM and SIGINT stop the cluster
 * gracefully, SIGHUP reloads it, SIGTTIN and SIGTTOU add and remove a worker, SIGUSR2
 * upgrades the primary itself (as for Gunicorn).
 */
final class Signals {

	private static final Log logger = LogFactory.getLog(Signals.class);

	/**
	 * The signal a process manager stops the cluster with (systemd, Docker and Kubernetes
	 * send it).
	 */
	static final String SHUTDOWN = "TERM";

	/** The signal that reloads every worker. */
	static final String RELOAD = "HUP";

	private Signals() {
	}

	static void onShutdown(Consumer<String> handler) {
		handle(SHUTDOWN, handler);
		handle("INT", handler);
	}

	/** SIGHUP reloads every worker, as it does for Gunicorn and nginx. */
	static void onReload(Consumer<String> handler) {
		handle(RELOAD, handler);
	}

	/** SIGTTIN adds a worker, SIGTTOU removes one. */
	static void onScale(BiConsumer<String, Integer> handler) {
		handle("TTIN", (signal) -> handler.accept(signal, 1));
		handle("TTOU", (signal) -> handler.accept(signal, -1));
	}

	/** SIGUSR2 starts a new primary from the jar on disk, as for Gunicorn. */
	static void onUpgrade(Consumer<String> handler) {
		handle("USR2", handler);
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
