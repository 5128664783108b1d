package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.WorkerEnvironment;
import dev.bootcluster.frontdoor.InternalHop;

/**
 * Forks a worker: the primary's own command line plus {@code cluster.worker.jvm-args},
 * with the worker's identity and the control channel in its environment. Its output
 * goes where the primary's goes: unchanged, or line by line behind {@code [worker N]}.
 * Each launch gets its own path for a Unix domain socket on the internal hop.
 * <p>
 * Threads: the arbiter thread.
 */
final class WorkerLauncher {

	private final List<String> command;

	private final int count;

	private final ControlServer control;

	private final Integer sharedPort;

	private final boolean logPrefix;

	private final boolean unixSocketHop;

	private int launches;

	/**
	 * @param sharedPort the public port workers listen on themselves ('os' policy), or
	 * {@code null}
	 */
	WorkerLauncher(JavaCommand primary, ClusterSettings settings, ControlServer control, Integer sharedPort) {
		this.command = primary.with(settings.workerJvmArgs());
		this.count = settings.workers();
		this.control = control;
		this.sharedPort = sharedPort;
		this.logPrefix = settings.logPrefix();
		this.unixSocketHop = settings.internalHop() == InternalHop.UNIX_SOCKET && sharedPort == null;
	}

	WorkerProcess launch(int id, int generation) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectInput(ProcessBuilder.Redirect.INHERIT);
		if (!this.logPrefix) {
			builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
		}
		Map<String, String> environment = builder.environment();
		environment.put(WorkerEnvironment.ID, Integer.toString(id));
		environment.put(WorkerEnvironment.COUNT, Integer.toString(this.count));
		environment.put(WorkerEnvironment.CHANNEL, this.control.socketPath().toString());
		environment.put(WorkerEnvironment.SECRET, this.control.secret());
		if (this.sharedPort != null) {
			environment.put(WorkerEnvironment.SHARED_PORT, this.sharedPort.toString());
		}
		// A new name for each launch: a replacement starts while the worker it replaces runs.
		Path hopSocket = this.unixSocketHop ? this.control.directory().resolve("worker-" + id + "-" + (++this.launches) + ".sock") : null;
		if (hopSocket != null) {
			environment.put(WorkerEnvironment.HOP_SOCKET, hopSocket.toString());
		}
		Process process = builder.start();
		if (this.logPrefix) {
			WorkerOutput.copy(process.getInputStream(), System.out, id);
			WorkerOutput.copy(process.getErrorStream(), System.err, id);
		}
		return new WorkerProcess(id, generation, process, hopSocket);
	}

}
