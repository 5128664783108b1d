package dev.bootcluster.messaging;

import java.nio.charset.StandardCharsets;

/**
 * A message from another worker, published as an application event in the receiving
 * worker before its {@link ClusterListener} methods are called.
 *
 * @param senderId the id of the worker that sent it
 * @param topic what it is about
 * @param payload its bytes, as sent
 */
public record ClusterMessageEvent(int senderId, String topic, byte[] payload) {

	/** The payload as UTF-8 text. */
	public String payloadAsString() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

}
