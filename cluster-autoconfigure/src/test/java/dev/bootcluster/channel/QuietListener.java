package dev.bootcluster.channel;

/**
 * A {@link ControlServer.Listener} that ignores everything: tests override what they
 * watch.
 */
public class QuietListener implements ControlServer.Listener {

	@Override
	public void connected(long pid, Channel channel) {
	}

	@Override
	public void received(long pid, Message message) {
	}

	@Override
	public void closed(long pid) {
	}

	@Override
	public void request(long pid, Channel client, Message request) {
	}

	@Override
	public void refused(long pid, String reason) {
	}

}
