package dev.bootcluster.worker;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;

import dev.bootcluster.channel.Channel;

/**
 * Makes the test JVM look like a cluster's worker, for tests of what a worker's
 * application context gets: an agent is installed as {@link WorkerAgent#current()} (with
 * no channel: such tests create beans, they never talk to a primary) until
 * {@link Installed#close()}.
 */
public final class WorkerAgents {

	private WorkerAgents() {
	}

	public static Installed install() {
		try {
			Constructor<WorkerAgent> constructor = WorkerAgent.class.getDeclaredConstructor(int.class, Channel.class,
					Path.class, long.class, Duration.class);
			constructor.setAccessible(true);
			set(constructor.newInstance(1, null, null, 0L, Duration.ofSeconds(5)));
			return () -> set(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void set(WorkerAgent agent) {
		try {
			Field started = WorkerAgent.class.getDeclaredField("started");
			started.setAccessible(true);
			started.set(null, agent);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An installed agent; closing it makes the JVM no worker again. */
	public interface Installed extends AutoCloseable {

		@Override
		void close();

	}

}
