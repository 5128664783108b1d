package dev.bootcluster.channel;

import org.jspecify.annotations.Nullable;

/**
 * The primary's answer to a request a worker passed on (reload, restart, scale): what
 * came of it, the reload it concerns ({@code null} if none), and a sentence for people.
 * The endpoint turns the outcome into an HTTP status; the primary knows nothing of HTTP.
 */
public record Reply(Outcome outcome, @Nullable String reloadId, String message) {

	public enum Outcome {

		/** Started; the cluster's status shows how it goes. */
		ACCEPTED,

		/** Nothing to do: the cluster already is as asked. */
		DONE,

		/** Asks for something the cluster cannot be (a worker count out of range). */
		INVALID,

		/** Names a worker the cluster does not have. */
		NO_SUCH_WORKER,

		/** Another reload is running; ask again when it has ended. */
		BUSY,

		/** Not now: the cluster is starting or stopping. */
		UNAVAILABLE

	}

}
