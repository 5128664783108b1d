package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A worker JVM forked by {@link WorkerLauncher}, driven with signals.
 * <p>
 * Threads: the arbiter thread; {@link #onExit} completes on the JDK's process reaper.
 */
final class ForkedProcess implements WorkerHandle {

	private final Process process;

	/**
	 * Where its server may listen on the internal hop, or {@code null} for loopback TCP.
	 */
	private final @Nullable Path hopSocket;

	private final Map<String, Integer> extraPorts;

	private final ServingPriority priority;

	/** Told once the process has ended and been cleaned up after. */
	private final Runnable onExited;

	ForkedProcess(Process process, @Nullable Path hopSocket, Map<String, Integer> extraPorts, ServingPriority priority,
			Runnable onExited) {
		this.process = process;
		this.hopSocket = hopSocket;
		this.extraPorts = Map.copyOf(extraPorts);
		this.priority = priority;
		this.onExited = onExited;
	}

	@Override
	public Map<String, Integer> extraPorts() {
		return this.extraPorts;
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public CompletableFuture<Integer> onExit() {
		return this.process.onExit().thenApply(Process::exitValue);
	}

	@Override
	public void serving() {
		this.priority.lower(pid());
	}

	@Override
	public void terminate() {
		this.process.destroy();
	}

	@Override
	public void kill() {
		this.process.destroyForcibly();
	}

	/** SIGQUIT, which the JDK's Process API cannot send. */
	@Override
	public void requestThreadDump() {
		try {
			new ProcessBuilder("kill", "-QUIT", Long.toString(pid())).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			// the dump is a courtesy; replacing the worker is what matters
		}
	}

	@Override
	public long residentMemory() {
		return ResidentMemory.of(pid());
	}

	@Override
	public void exited() {
		if (this.hopSocket != null) {
			// A worker that was killed leaves its socket behind.
			try {
				Files.deleteIfExists(this.hopSocket);
			}
			catch (IOException ex) {
				// the primary removes its directory, and what is in it, when it stops
			}
		}
		this.onExited.run();
	}

}
