package dev.bootcluster.primary;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.bootcluster.channel.ExchangeService;
import dev.bootcluster.channel.Frame;
import dev.bootcluster.channel.FrameConnection;
import dev.bootcluster.channel.MalformedFrameException;
import dev.bootcluster.channel.MessageRoutes;
import dev.bootcluster.frontdoor.Backend;
import org.jspecify.annotations.Nullable;

/**
 * Routes messages between workers on the exchange, never reading a payload. A worker's
 * {@code messages} request names the receiver (a worker id, or
 * {@link MessageRoutes#ALL_OTHERS} for every other ready worker) and a topic; the router
 * pushes it to the receiver as a {@link Frame.Kind#MESSAGE} and relays the receiver's
 * answer back as the reply. A broadcast is answered at once with the number of workers it
 * went to; one that names a wait (a third header, in milliseconds) is answered once every
 * receiver handled it or when the wait is over, with the number and the ids of the
 * receivers that failed or were late ({@link AwaitedBroadcast}). A message to a worker
 * that is not connected or not ready (starting, draining), or that leaves the exchange
 * before answering, fails.
 * <p>
 * Order per sender and receiver holds because one reader thread forwards each sender's
 * frames, in order, into the receiver's one queue; a full queue makes that reader wait
 * (up to {@link #QUEUE_WAIT}), which pushes back on that sender only.
 * <p>
 * Threads: the reader threads of all workers' connections, hence concurrent maps; a route
 * is removed by exactly one of them (the answer, or the receiver's closing).
 */
public final class MessageRouter implements ExchangeService {

	/** The exchange service's name. */
	public static final String NAME = MessageRoutes.SERVICE;

	private static final Duration QUEUE_WAIT = Duration.ofSeconds(5);

	/** Broadcast messages carry this correlation: their answers go nowhere. */
	private static final long NO_ROUTE = 0;

	private final Map<Integer, FrameConnection> workers = new ConcurrentHashMap<>();

	private final Map<Long, Route> routes = new ConcurrentHashMap<>();

	/** The pids of the ready workers, as the arbiter last routed connections to them. */
	private volatile Set<Long> ready = Set.of();

	private final AtomicLong routeIds = new AtomicLong(NO_ROUTE + 1);

	/**
	 * Only these workers (by pid) receive messages from now on: not one that is starting,
	 * draining or gone. Called on the arbiter thread.
	 */
	public void ready(Collection<Backend> workers) {
		this.ready = workers.stream().map(Backend::pid).collect(Collectors.toUnmodifiableSet());
	}

	@Override
	public void connected(FrameConnection worker) {
		this.workers.put(worker.workerId(), worker);
	}

	@Override
	public void closed(FrameConnection worker) {
		this.workers.remove(worker.workerId(), worker);
		this.routes.forEach((id, route) -> {
			if (route.receiver == worker && this.routes.remove(id, route)) {
				if (route.broadcast != null) {
					route.broadcast.left(worker.workerId());
				}
				else {
					route.sender.reply(route.request
						.failure("worker " + worker.workerId() + " left the cluster before it answered"));
				}
			}
		});
	}

	@Override
	public void receive(Frame frame, FrameConnection from) {
		switch (frame.kind()) {
			case REQUEST -> route(frame, from);
			case REPLY, FAILURE -> answered(frame);
			default -> throw new MalformedFrameException("a " + frame.kind() + " frame for the messages service");
		}
	}

	private void route(Frame request, FrameConnection sender) {
		String to = request.header(0);
		List<String> headers = List.of(Integer.toString(sender.workerId()), request.header(1));
		if (MessageRoutes.ALL_OTHERS.equals(to) && request.headers().size() > 2) {
			broadcastAndWait(request, sender, headers, waitMillis(request.header(2)));
			return;
		}
		if (MessageRoutes.ALL_OTHERS.equals(to)) {
			int delivered = 0;
			for (FrameConnection receiver : this.workers.values()) {
				if (receiver != sender && isReady(receiver)
						&& receiver.send(Frame.message(NO_ROUTE, NAME, headers, request.payload()), QUEUE_WAIT)) {
					delivered++;
				}
			}
			sender.reply(request.reply(List.of(Integer.toString(delivered)), new byte[0]));
			return;
		}
		FrameConnection receiver = this.workers.get(receiverId(to));
		if (receiver == null) {
			sender.reply(request.failure("worker " + to + " is not in the cluster"));
			return;
		}
		if (!isReady(receiver)) {
			sender.reply(request.failure("worker " + to + " is not ready: starting, draining or gone"));
			return;
		}
		long id = this.routeIds.getAndIncrement();
		Route route = new Route(sender, receiver, request, null);
		this.routes.put(id, route);
		if (!receiver.send(Frame.message(id, NAME, headers, request.payload()), QUEUE_WAIT)
				&& this.routes.remove(id, route)) {
			sender.reply(request.failure("worker " + to + " did not take the message within " + QUEUE_WAIT.toSeconds()
					+ " s: it left the cluster or its queue stayed full"));
		}
	}

	private void broadcastAndWait(Frame request, FrameConnection sender, List<String> headers, long waitMillis) {
		AwaitedBroadcast broadcast = new AwaitedBroadcast(sender, request);
		for (FrameConnection receiver : this.workers.values()) {
			if (receiver == sender || !isReady(receiver)) {
				continue;
			}
			long id = this.routeIds.getAndIncrement();
			Route route = new Route(sender, receiver, request, broadcast);
			this.routes.put(id, route);
			broadcast.delivered(receiver.workerId());
			if (!receiver.send(Frame.message(id, NAME, headers, request.payload()), QUEUE_WAIT)
					&& this.routes.remove(id, route)) {
				broadcast.answered(receiver.workerId(), false);
			}
		}
		broadcast.sent();
		CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS).execute(broadcast::expired);
	}

	private static long waitMillis(String wait) {
		try {
			return Long.parseLong(wait);
		}
		catch (NumberFormatException ex) {
			throw new MalformedFrameException("a broadcast that waits '" + wait + "', not a number of milliseconds");
		}
	}

	private boolean isReady(FrameConnection worker) {
		return this.ready.contains(worker.workerPid());
	}

	private static int receiverId(String to) {
		try {
			return Integer.parseInt(to);
		}
		catch (NumberFormatException ex) {
			throw new MalformedFrameException(
					"a message for '" + to + "', neither a worker id nor " + MessageRoutes.ALL_OTHERS);
		}
	}

	private void answered(Frame answer) {
		Route route = this.routes.remove(answer.correlation());
		if (route == null) {
			// a broadcast's answer, or the receiver's after its sender left
			return;
		}
		if (route.broadcast != null) {
			route.broadcast.answered(route.receiver.workerId(), answer.kind() == Frame.Kind.REPLY);
			return;
		}
		route.sender.reply((answer.kind() == Frame.Kind.REPLY) ? route.request.reply(answer.headers(), answer.payload())
				: route.request.failure(answer.header(0)));
	}

	/**
	 * A message on its way: whom to answer, and who must answer; for an awaited
	 * broadcast, the broadcast that collects the answers.
	 */
	private record Route(FrameConnection sender, FrameConnection receiver, Frame request,
			@Nullable AwaitedBroadcast broadcast) {
	}

}
