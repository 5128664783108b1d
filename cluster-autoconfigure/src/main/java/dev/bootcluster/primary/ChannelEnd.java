package dev.bootcluster.primary;

import java.io.IOException;

import dev.bootcluster.channel.Channel;
import dev.bootcluster.channel.Message;

/**
 * A worker's (or a control client's) control {@link Channel} as the arbiter uses it.
 * <p>
 * Threads: the arbiter thread.
 */
record ChannelEnd(Channel channel) implements WorkerChannel {

	@Override
	public void send(Message message) {
		try {
			this.channel.send(message);
		}
		catch (IOException ex) {
			// its exit is on the way
		}
	}

	@Override
	public void close() {
		this.channel.close();
	}

}
