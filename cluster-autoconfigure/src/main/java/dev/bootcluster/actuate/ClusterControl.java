package dev.bootcluster.actuate;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.bootcluster.channel.ClusterStatus;
import dev.bootcluster.channel.Message;
import dev.bootcluster.worker.WorkerAgent;

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
		return Reply.of(ask(Message.Type.RELOAD));
	}

	/** Replaces one worker the same zero-downtime way as a reload. */
	public Reply restart(String workerId) {
		return Reply.of(ask(Message.Type.RESTART, workerId));
	}

	/** Scales the cluster to {@code workers} workers. */
	public Reply scale(int workers) {
		return Reply.of(ask(Message.Type.SCALE, workers));
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

	/** The primary's answer to a reload or restart request. */
	public record Reply(int status, String reload, String message) {

		static Reply of(Message message) {
			String reload = message.field(2);
			return new Reply(Integer.parseInt(message.field(1)), reload.isEmpty() ? null : reload, message.field(3));
		}

	}

	/** The primary did not answer in time (or the channel is gone). */
	public static class PrimaryUnreachableException extends RuntimeException {

		public PrimaryUnreachableException(Throwable cause) {
			super("The cluster's primary did not answer"
					+ ((cause instanceof TimeoutException) ? " in time" : ": " + cause.getMessage()), cause);
		}

	}

}
