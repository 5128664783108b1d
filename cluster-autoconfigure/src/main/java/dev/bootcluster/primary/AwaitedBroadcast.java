package dev.bootcluster.primary;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.bootcluster.channel.Frame;
import dev.bootcluster.channel.FrameConnection;

/**
 * A broadcast whose sender waits until every receiver handled it: answered once the last
 * receiver answered (or left, taking its state with it), or once the wait is over; the
 * answer names the receivers that failed or were late, so the sender can say which.
 * <p>
 * Threads: the receivers' reader threads and the JDK's delayer thread, hence
 * synchronized; the answer is sent once.
 */
final class AwaitedBroadcast {

	private final FrameConnection sender;

	private final Frame request;

	private final Set<Integer> waiting = new TreeSet<>();

	private final Set<Integer> failed = new TreeSet<>();

	private int delivered;

	private boolean sent;

	private boolean answered;

	AwaitedBroadcast(FrameConnection sender, Frame request) {
		this.sender = sender;
		this.request = request;
	}

	/** The message went to worker {@code workerId}, which is to answer it. */
	synchronized void delivered(int workerId) {
		this.delivered++;
		this.waiting.add(workerId);
	}

	/** Every receiver has the message: answers now if they all answered already. */
	synchronized void sent() {
		this.sent = true;
		answerIfDone();
	}

	/** Worker {@code workerId} handled the message ({@code ok}) or failed to. */
	synchronized void answered(int workerId, boolean ok) {
		if (this.waiting.remove(workerId) && !ok) {
			this.failed.add(workerId);
		}
		answerIfDone();
	}

	/**
	 * Worker {@code workerId} left the cluster before it answered: nothing of it is left.
	 */
	synchronized void left(int workerId) {
		this.waiting.remove(workerId);
		answerIfDone();
	}

	/** The wait is over: answers with whoever has not answered as late. */
	synchronized void expired() {
		this.failed.addAll(this.waiting);
		this.waiting.clear();
		this.sent = true;
		answerIfDone();
	}

	private void answerIfDone() {
		if (this.answered || !this.sent || !this.waiting.isEmpty()) {
			return;
		}
		this.answered = true;
		String notHandled = this.failed.stream().map(String::valueOf).collect(Collectors.joining(","));
		this.sender.reply(this.request.reply(List.of(Integer.toString(this.delivered), notHandled), new byte[0]));
	}

}
