package dev.bootcluster.primary;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.WorkerEnvironment;

/**
 * Forks a worker: the primary's own command line plus {@code cluster.worker.jvm-args},
 * with the worker's identity and the control channel in its environment. Its output
 * goes where the primary's goes: unchanged, or line by line behind {@code [worker N]}.
 */
final class WorkerLauncher {

	private final List<String> command;

	private final int count;

	private final ControlServer control;

	private final Integer sharedPort;

	private final boolean logPrefix;

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
	}

	Process launch(int id) throws IOException {
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
		Process process = builder.start();
		if (this.logPrefix) {
			WorkerOutput.copy(process.getInputStream(), System.out, id);
			WorkerOutput.copy(process.getErrorStream(), System.err, id);
		}
		return process;
	}

}
