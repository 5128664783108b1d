package dev.bootcluster.actuate;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Message;
import dev.bootcluster.channel.Reply;
import dev.bootcluster.worker.WorkerAgent;

import org.jspecify.annotations.Nullable;

/**
 * The cluster's controls as a worker reaches them: every question goes to the primary
 * over the control channel, which answers from what its arbiter knows.
 */
public class ClusterControl {

	private final WorkerAgent agent;

	public ClusterControl(WorkerAgent agent) {
		this.agent = agent;
	}

	/**
	 * @throws PrimaryUnreachableException if the primary does not answer
	 */
	public ClusterStatus status() {
		return ask(Message.Type.QUERY).status();
	}

	/** Starts a rolling reload of every worker. */
	public Reply reload() {
		return ask(Message.Type.RELOAD, "POST /actuator/cluster/reload").reply();
	}

	/** Replaces one worker the same zero-downtime way as a reload. */
	public Reply restart(String workerId) {
		return ask(Message.Type.RESTART, workerId).reply();
	}

	/** Upgrades the primary itself, as SIGUSR2 does. */
	public Reply upgrade() {
		return ask(Message.Type.UPGRADE, "POST /actuator/cluster/upgrade").reply();
	}

	/** Scales the cluster to {@code workers} workers. */
	public Reply scale(int workers) {
		return ask(Message.Type.SCALE, workers, "POST /actuator/" + ClusterScaleEndpoint.PATH).reply();
	}

	private Message ask(Message.Type type, Object... fields) {
		try {
			return this.agent.ask(type, fields).get();
		}
		catch (ExecutionException ex) {
			throw new PrimaryUnreachableException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PrimaryUnreachableException(ex);
		}
	}

	/** The primary did not answer in time (or the channel is gone). */
	public static class PrimaryUnreachableException extends RuntimeException {

		public PrimaryUnreachableException(@Nullable Throwable cause) {
			super("The cluster's primary did not answer" + ((cause instanceof TimeoutException) ? " in time"
					: (cause != null) ? ": " + cause.getMessage() : ""), cause);
		}

	}

}
