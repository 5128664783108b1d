package dev.bootcluster.channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One control message between the primary and a worker: a type and a few text fields,
 * sent as one tab-separated line. A receiver checks the fields it uses with
 * {@link #requireFields}, {@link #intField} and {@link #longField}: a message from a
 * worker of another version fails there with a {@link MalformedMessageException}, never
 * further on.
 */
public record Message(Type type, List<String> fields) {

	/**
	 * The version of this protocol, the first field of every {@link Type#HELLO}: the
	 * primary refuses a worker that speaks another one. Raise it whenever a message
	 * changes its fields.
	 */
	public static final int PROTOCOL_VERSION = 3;

	public enum Type {

		/**
		 * worker → primary, first message: protocol version (always the first field, in
		 * every version), worker id, pid, the token the primary issued for this launch.
		 */
		HELLO,

		/**
		 * {@code cluster.ctl} → primary, its first message instead of {@link #HELLO}:
		 * protocol version, the control token from the cluster's owner-only file, its
		 * pid. It may then send {@link #QUERY}, {@link #RELOAD}, {@link #RESTART},
		 * {@link #SCALE} and {@link #UPGRADE} as a worker does, and gets the same
		 * answers. Never sent by a worker: the workers' protocol is unchanged.
		 */
		CONTROL,

		/**
		 * worker → primary: the app accepts traffic; fields are its internal server and
		 * management ports, whether its server and its management server read a PROXY
		 * protocol header, and its {@link StarterVersion} (empty if unknown; added later,
		 * last, so an older primary ignores it).
		 */
		READY,

		/** worker → primary: the app refuses traffic (it is shutting down). */
		NOT_READY,

		/** worker → primary: the app failed to start; the field names the cause. */
		FAILED,

		/**
		 * worker → primary, every heartbeat interval: heap used and heap max in bytes,
		 * and requests served so far.
		 */
		HEARTBEAT,

		/** worker → primary: it has served its max-requests; the field says so. */
		RECYCLE,

		/**
		 * worker → primary: the name of a {@link Notice}, something the user should read
		 * once per cluster start, not once per worker.
		 */
		NOTICE,

		/** worker → primary: request id; asks for a {@link #STATUS}. */
		QUERY,

		/**
		 * worker → primary: request id, what asks (for the logs and the status); asks for
		 * a rolling reload of every worker.
		 */
		RELOAD,

		/** worker → primary: request id, worker id; asks to replace that one worker. */
		RESTART,

		/** worker → primary: request id, number of workers wanted, what asks. */
		SCALE,

		/**
		 * worker or {@code cluster.ctl} → primary: request id, what asks; asks the
		 * primary to upgrade itself (start a new primary from its command line, which
		 * takes over the ports), as SIGUSR2 does. A primary that predates it does not
		 * answer.
		 */
		UPGRADE,

		/** primary → worker: request id, then the {@link ClusterStatus} fields. */
		STATUS,

		/**
		 * primary → worker: request id, then a {@link Reply}: outcome, reload id,
		 * message.
		 */
		REPLY,

		/**
		 * worker → primary: request id, deadline in milliseconds, then maybe a query
		 * (what to collect, and of what), which the primary relays as is in each
		 * {@link #COLLECT}; none asks for the Prometheus text. Asks for the metrics of
		 * every other ready worker. The primary answers with {@link #METRICS} parts, then
		 * one {@link #SCRAPED}. A primary that predates it ignores it: the worker then
		 * serves its own metrics alone; one that predates queries collects the Prometheus
		 * text, which the asker of a query cannot read, and counts missed.
		 */
		SCRAPE,

		/**
		 * primary → worker: collect id, then the {@link #SCRAPE}'s query if any; asks for
		 * the worker's own metrics, as {@link #METRICS} parts. A worker that predates it
		 * ignores it, and is counted missed; one that predates queries ignores the query
		 * and sends its Prometheus text, which the asker cannot read, and counts missed.
		 */
		COLLECT,

		/**
		 * worker → primary: collect id, {@code more} or {@code last}, a part of its
		 * {@link MetricsText}; primary → worker: request id, worker id, then the same.
		 */
		METRICS,

		/**
		 * primary → worker: request id, the ids of the workers that did not answer in
		 * time (comma-separated, maybe none); ends a {@link #SCRAPE}.
		 */
		SCRAPED,

		/**
		 * worker → primary: request id, lease name, time limit in milliseconds (0: held
		 * while the worker is alive and ready, as a run-once job's; more: held at most
		 * that long, as a ShedLock lock). Asks for the lease, or keeps it for its holder;
		 * the primary answers with a {@link #LEASE_STATE}.
		 */
		LEASE,

		/**
		 * primary → worker: request id, {@code true} if the asker holds the lease now,
		 * the id of the worker that holds it (0: none).
		 */
		LEASE_STATE,

		/**
		 * worker → primary: lease name, milliseconds it stays taken (by nobody) before
		 * another worker may have it (a ShedLock lockAtLeastFor; 0: free at once).
		 */
		RELEASE,

		/**
		 * primary → worker: lease name; the worker is leaving the rotation, so its lease
		 * goes to another worker: it answers with a {@link #RELEASE} once no run of it is
		 * in progress.
		 */
		REVOKE,

		/**
		 * primary → every ready worker: what happened in the cluster, then its fields:
		 * {@code WORKER_STARTED} or {@code WORKER_READY}, worker id, pid;
		 * {@code WORKER_EXITED}, worker id, pid, exit code, signal name (empty if none);
		 * {@code RELOAD_STARTED}, reload id, trigger; {@code RELOAD_FINISHED}, reload id,
		 * {@code SUCCEEDED} or {@code FAILED}. Never answered.
		 */
		MEMBERSHIP,

		/**
		 * worker → primary, once after {@link #HELLO}: the {@code cluster.*} properties
		 * its Environment has (its jar's files, the environment, the command line), and
		 * the public ports' ({@code server.port}, {@code server.address},
		 * {@code management.server.port}, {@code management.server.address}), each field
		 * {@code name=value}. The primary reads those of a reload's first new worker as
		 * the new version's settings. A primary that predates it ignores it.
		 */
		SETTINGS,

		/**
		 * primary → worker: heartbeat interval in milliseconds, request limit (0: none);
		 * the limits a reload's new settings give every running worker. A worker that
		 * predates it ignores it.
		 */
		LIMITS,

		/**
		 * primary → worker, before it hangs up: why it refuses the worker (another
		 * protocol version). The worker logs it and exits as one that cannot boot.
		 */
		ERROR

	}

	public static Message of(Type type, Object... fields) {
		return new Message(type, Arrays.stream(fields).map(Message::clean).toList());
	}

	/** A {@link Type#STATUS} answer to the request with the given id. */
	public static Message status(String requestId, ClusterStatus status) {
		List<Object> fields = new ArrayList<>();
		fields.add(requestId);
		fields.addAll(status.encode());
		return of(Type.STATUS, fields.toArray());
	}

	/** A {@link Type#REPLY} to the request with the given id. */
	public static Message reply(String requestId, Reply reply) {
		return of(Type.REPLY, requestId, reply.outcome(), (reply.reloadId() != null) ? reply.reloadId() : "",
				reply.message());
	}

	/**
	 * The {@link Reply} a {@link Type#REPLY} message carries after its request id.
	 * @throws MalformedMessageException if it carries none
	 */
	public Reply reply() {
		requireFields(4);
		Reply.Outcome outcome;
		try {
			outcome = Reply.Outcome.valueOf(field(1));
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException(this, "field 1 is not an outcome: '" + field(1) + "'");
		}
		return new Reply(outcome, field(2).isEmpty() ? null : field(2), field(3));
	}

	/**
	 * The {@link ClusterStatus} a {@link Type#STATUS} message carries after its request
	 * id.
	 */
	public ClusterStatus status() {
		return ClusterStatus.decode(this.fields.subList(1, this.fields.size()));
	}

	public String field(int index) {
		requireFields(index + 1);
		return this.fields.get(index);
	}

	/**
	 * Checks that the message has at least {@code count} fields.
	 * @return this message
	 * @throws MalformedMessageException if it has fewer
	 */
	public Message requireFields(int count) {
		if (this.fields.size() < count) {
			throw new MalformedMessageException(this,
					"needs at least " + count + " field(s), has " + this.fields.size());
		}
		return this;
	}

	/**
	 * The field at {@code index} as a whole number.
	 * @throws MalformedMessageException if it is missing or not a number
	 */
	public long longField(int index) {
		try {
			return Long.parseLong(field(index));
		}
		catch (NumberFormatException ex) {
			throw new MalformedMessageException(this, "field " + index + " is not a number: '" + field(index) + "'");
		}
	}

	/**
	 * The field at {@code index} as an {@code int}.
	 * @throws MalformedMessageException if it is missing or not a number in range
	 */
	public int intField(int index) {
		long value = longField(index);
		if (value != (int) value) {
			throw new MalformedMessageException(this, "field " + index + " is out of range: " + value);
		}
		return (int) value;
	}

	String encode() {
		StringBuilder line = new StringBuilder(this.type.name());
		this.fields.forEach((field) -> line.append('\t').append(field));
		return line.append('\n').toString();
	}

	/**
	 * Decodes one line; an unknown type gives {@code null}, so that a newer worker can
	 * talk to an older primary.
	 */
	static @Nullable Message decode(String line) {
		String[] parts = line.split("\t", -1);
		try {
			return new Message(Type.valueOf(parts[0]), List.of(parts).subList(1, parts.length));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String clean(Object field) {
		return String.valueOf(field).replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
	}

}
