package dev.bootcluster.channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One control message between the primary and a worker: a type and a few text fields,
 * sent as one tab-separated line.
 */
public record Message(Type type, List<String> fields) {

	public enum Type {

		/** worker → primary, first message: worker id, pid, cluster secret. */
		HELLO,

		/**
		 * worker → primary: the app accepts traffic; fields are its internal server and
		 * management ports, and whether its server reads a PROXY protocol header.
		 */
		READY,

		/** worker → primary: the app refuses traffic (it is shutting down). */
		NOT_READY,

		/** worker → primary: the app failed to start; the field names the cause. */
		FAILED,

		/**
		 * worker → primary, every heartbeat interval: heap used and heap max in bytes, and
		 * requests served so far.
		 */
		HEARTBEAT,

		/** worker → primary: it has served its max-requests; the field says so. */
		RECYCLE,

		/** worker → primary: request id; asks for a {@link #STATUS}. */
		QUERY,

		/** worker → primary: request id; asks for a rolling reload of every worker. */
		RELOAD,

		/** worker → primary: request id, worker id; asks to replace that one worker. */
		RESTART,

		/** worker → primary: request id, number of workers wanted. */
		SCALE,

		/** primary → worker: request id, then the {@link ClusterStatus} fields. */
		STATUS,

		/** primary → worker: request id, HTTP-like status code, reload id, message. */
		REPLY

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

	/** The {@link ClusterStatus} a {@link Type#STATUS} message carries after its request id. */
	public ClusterStatus status() {
		return ClusterStatus.decode(this.fields.subList(1, this.fields.size()));
	}

	public String field(int index) {
		return this.fields.get(index);
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
	static Message decode(String line) {
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
