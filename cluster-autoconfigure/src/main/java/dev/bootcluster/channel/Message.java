package dev.bootcluster.channel;

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

		/** worker → primary: the app accepts traffic; fields are its internal server and management ports. */
		READY,

		/** worker → primary: the app refuses traffic (it is shutting down). */
		NOT_READY,

		/** worker → primary: the app failed to start; the field names the cause. */
		FAILED

	}

	public static Message of(Type type, Object... fields) {
		return new Message(type, Arrays.stream(fields).map(Message::clean).toList());
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
