package dev.bootcluster.frontdoor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One client connection and its hop to a worker.
 * <p>
 * It connects to the next ready worker; a worker that refuses (it just died) is skipped
 * and the next one tried before a single byte has reached the client; with no worker left
 * it waits in the loop's queue, and when the queue timeout passes it answers an HTTP/1.x
 * client {@code 503} and closes.
 * <p>
 * HTTP/1.x framing is parsed in both directions ({@link RequestFraming},
 * {@link ResponseFraming}), so the relay knows where each request and response begins and
 * ends. When the worker retires (a reload, a restart, a recycle), a keep-alive client's
 * next request goes to a ready worker at the request boundary; an idle connection the
 * retiring worker lets go stays open for the client. A request is sent to a second worker
 * only when the first never got a byte of it, or when it is idempotent, kept whole
 * ({@link Unanswered}), and the retiring worker closed before any final response: never
 * twice otherwise. From its first byte to its final response head a request counts as in
 * flight on its worker ({@link Backend#requestsInFlight()}), so that a retired worker is
 * stopped only once it has answered. A request the worker leaves unanswered gets
 * {@code 502} and a close; a response cut short, a close. Both are counted. A connection
 * that is not plain HTTP/1.x (TLS, HTTP/2, after a {@code 101}) is relayed as bytes.
 * <p>
 * An extra port ({@link PortKind#http()} false) is relayed as bytes from the start: its
 * protocol is the app's, so the relay sees no boundary to move it at. Such a connection
 * stays on its worker for its whole life and counts as in flight there all along, so that
 * a retiring worker is stopped once its clients on those ports are done (or its drain
 * timeout has passed).
 * <p>
 * Threads: created, driven and closed by one {@link RelayLoop}.
 */
final class Relay implements RelayLoop.Handler {

	private final RelayLoop loop;

	private final SocketChannel client;

	private final PortKind kind;

	private final InetSocketAddress clientAddress;

	private final InetSocketAddress publicAddress;

	private long lastActive = System.nanoTime();

	/** Since when it waits for a ready worker: accepted, or left by a retiring worker. */
	private long waitingSince = this.lastActive;

	private final List<Backend> refused = new ArrayList<>(2);

	private final RequestFraming requests;

	private final ResponseFraming responses;

	private final Unanswered unanswered = new Unanswered();

	private final Pipe toClient;

	private final Pipe toWorker = new Pipe(null);

	private final int maxHeaderSize;

	private @Nullable Backend backend;

	private @Nullable SocketChannel worker;

	private boolean connected;

	/** In the loop's queue, waiting for a ready worker. */
	private boolean waiting;

	/**
	 * A connect to {@link #backend} is under way (counted in
	 * {@link Backend#connecting()}).
	 */
	private boolean connectPending;

	/** Client bytes no worker has had yet, from a request boundary on; null when none. */
	private @Nullable ByteBuffer held;

	/**
	 * A request sent to {@link #backend} waits for its final response head (counted in
	 * {@link Backend#requestsInFlight()}).
	 */
	private boolean inFlight;

	/** The client sent all it will send. */
	private boolean clientEnded;

	/** Relayed as plain bytes from now on, both ways. */
	private boolean pipe;

	/** The client sent a request it asked to close the connection after. */
	private boolean clientAskedToClose;

	/**
	 * A malformed request waits for the responses before it to end, then gets its 400.
	 */
	private boolean rejected;

	/** The front door answered the client itself and is closing the connection. */
	private boolean replied;

	/** The write of a request to the worker failed: it is gone. */
	private boolean workerFailed;

	private @Nullable SelectionKey clientKey;

	private @Nullable SelectionKey workerKey;

	private boolean closed;

	Relay(RelayLoop loop, SocketChannel client, InetSocketAddress clientAddress, InetSocketAddress publicAddress,
			PortKind kind) {
		this.loop = loop;
		this.client = client;
		this.clientAddress = clientAddress;
		this.publicAddress = publicAddress;
		this.kind = kind;
		this.pipe = !kind.http();
		this.toClient = new Pipe(client);
		this.maxHeaderSize = loop.maxHeaderSize();
		this.requests = new RequestFraming(this.maxHeaderSize);
		this.responses = new ResponseFraming(this.maxHeaderSize);
	}

	void start() {
		this.loop.opened(this);
		try {
			this.clientKey = this.client.register(this.loop.selector(), 0, this);
			connect();
		}
		catch (IOException ex) {
			close();
		}
	}

	long waitingSince() {
		return this.waitingSince;
	}

	/** When bytes last moved, or the connection was accepted. */
	long lastActive() {
		return this.lastActive;
	}

	/** Connects to the next ready worker, or waits for one. */
	void connect() {
		if (this.closed || this.replied) {
			return;
		}
		boolean wasWaiting = this.waiting;
		this.waiting = false;
		this.backend = this.loop.pick(this.refused, this.clientAddress.getAddress());
		if (this.backend == null) {
			awaitWorker(wasWaiting);
			return;
		}
		this.backend.opened();
		SocketAddress address = this.backend.address(this.kind);
		if (address == null) {
			// A worker that does not serve this port (none should): try the next.
			refused();
			return;
		}
		boolean connectedAtOnce = false;
		try {
			if (address instanceof UnixDomainSocketAddress) {
				this.worker = SocketChannel.open(StandardProtocolFamily.UNIX);
			}
			else {
				this.worker = SocketChannel.open();
				this.worker.setOption(StandardSocketOptions.TCP_NODELAY, true);
			}
			this.worker.configureBlocking(false);
			connectedAtOnce = this.worker.connect(address);
			if (!connectedAtOnce) {
				this.backend.connectStarted();
				this.connectPending = true;
				this.workerKey = this.worker.register(this.loop.selector(), SelectionKey.OP_CONNECT, this);
			}
		}
		catch (IOException ex) {
			if (this.loop.outOfDescriptors(ex)) {
				// Closed at once: waiting, it would hold the descriptor another
				// connection needs.
				close();
			}
			else if (backlogFull(address, ex)) {
				// Not refused, only busy: try again at the loop's next turn, as TCP would
				// resend its SYN.
				dropWorker();
				awaitWorker(wasWaiting);
			}
			else {
				refused();
			}
			return;
		}
		if (connectedAtOnce) {
			try {
				connected();
			}
			catch (IOException ex) {
				close();
			}
		}
	}

	private void awaitWorker(boolean wasWaiting) {
		if (!wasWaiting) {
			this.waitingSince = System.nanoTime();
		}
		this.waiting = true;
		this.loop.await(this);
		updateInterest();
	}

	/**
	 * The queue timeout passed with no ready worker: an HTTP/1.x client gets 503, any
	 * other a close.
	 */
	void queueTimedOut() {
		if (this.kind.http() && this.held != null && RequestFraming.startsHttp1Request(this.held.duplicate().flip())) {
			try {
				reply(Replies.SERVICE_UNAVAILABLE);
				closeIfDone();
				return;
			}
			catch (IOException ex) {
				// the client is gone: close
			}
		}
		close();
	}

	/**
	 * A Unix domain socket whose listen backlog is full fails a non-blocking connect at
	 * once (EAGAIN) where TCP would wait; a worker that is gone refuses it, or has
	 * removed its socket file.
	 */
	private static boolean backlogFull(@Nullable SocketAddress address, IOException ex) {
		return address instanceof UnixDomainSocketAddress unix && !(ex instanceof ConnectException)
				&& Files.exists(unix.getPath());
	}

	private void refused() {
		this.refused.add(this.backend);
		dropWorker();
		connect();
	}

	private void connected() throws IOException {
		this.connected = true;
		this.refused.clear();
		if (this.workerKey == null) {
			this.workerKey = worker().register(this.loop.selector(), 0, this);
		}
		this.toWorker.retarget(worker());
		if (!this.kind.http()) {
			countInFlight();
		}
		if (backend().readsProxyProtocol(this.kind)) {
			this.toWorker.forward(ProxyHeader.of(this.clientAddress, this.publicAddress));
		}
		if (this.unanswered.canReplay()) {
			countInFlight();
			this.toWorker.forward(this.unanswered.replay());
		}
		if (this.held != null) {
			ByteBuffer held = this.held.flip();
			this.held = null;
			send(held);
		}
		if (this.clientEnded && this.held == null && !this.replied && this.worker != null) {
			this.toWorker.endOfInput();
		}
		if (!this.closed) {
			updateInterest();
		}
	}

	@Override
	public void ready(SelectionKey key) {
		if (this.closed || !key.isValid()) {
			return;
		}
		this.lastActive = System.nanoTime();
		// Read once: handling one event may cancel the key (the worker is dropped) before
		// the next.
		int ops = key.readyOps();
		try {
			if (key == this.clientKey) {
				if ((ops & SelectionKey.OP_WRITE) != 0) {
					this.toClient.flush();
				}
				if ((ops & SelectionKey.OP_READ) != 0 && !this.closed) {
					readClient();
				}
			}
			else if ((ops & SelectionKey.OP_CONNECT) != 0) {
				finishConnect();
			}
			else {
				if ((ops & SelectionKey.OP_WRITE) != 0) {
					flushToWorker();
				}
				if ((ops & SelectionKey.OP_READ) != 0 && key == this.workerKey) {
					readWorker();
				}
			}
			closeIfDone();
		}
		catch (IOException ex) {
			close();
		}
	}

	/**
	 * Closes once both directions ended (or the front door's own answer is out and the
	 * client done), else waits.
	 */
	private void closeIfDone() {
		if (this.toClient.finished() && (this.replied ? this.clientEnded : this.toWorker.finished())) {
			close();
		}
		else if (!this.closed) {
			updateInterest();
		}
	}

	private void finishConnect() throws IOException {
		endConnect();
		try {
			worker().finishConnect();
		}
		catch (IOException ex) {
			refused();
			return;
		}
		connected();
	}

	private void readClient() throws IOException {
		ByteBuffer buffer = this.loop.buffer().clear();
		if (this.waiting) {
			// Only the start of what the client sends is kept while no worker is ready.
			buffer.limit(this.maxHeaderSize - ((this.held != null) ? this.held.position() : 0));
		}
		int read = this.client.read(buffer);
		if (read < 0) {
			clientEnded();
			return;
		}
		if (read == 0 || this.replied) {
			return;
		}
		buffer.flip();
		if (this.worker == null) {
			hold(buffer);
			if (!this.waiting) {
				connect();
			}
			return;
		}
		send(buffer);
	}

	private void clientEnded() throws IOException {
		this.clientEnded = true;
		if (this.replied) {
			return;
		}
		if (this.worker == null && this.held == null && !this.waiting) {
			close();
		}
		else if (this.connected && this.held == null) {
			if (!this.pipe && this.requests.readingHead()) {
				// A head that will never end: what there is of it passes as it is.
				becomePipe();
			}
			this.toWorker.endOfInput();
		}
	}

	/**
	 * Passes client bytes on to the worker, request by request, as their framing allows.
	 */
	private void send(ByteBuffer data) throws IOException {
		while (data.hasRemaining() && !this.replied && !this.workerFailed && this.worker != null) {
			if (this.pipe) {
				toWorker(data, data.position(), data.limit());
				continue;
			}
			if (this.requests.atStart() && !sendsNextRequest()) {
				// A request boundary: the next request goes to a ready worker, once this
				// one has answered.
				hold(data);
				if (this.responses.idle()) {
					moveToAnotherWorker();
				}
				return;
			}
			int from = data.position();
			switch (this.requests.advance(data)) {
				case MORE -> {
					// the head goes on in the next read
				}
				case HEAD -> requestHead();
				case BODY -> toWorker(data, from, data.position());
				case BAD -> reject();
			}
			if (this.requests.isPipe() && !this.pipe) {
				becomePipe();
			}
		}
		if (this.workerFailed) {
			this.workerFailed = false;
			hold(data);
			workerClosed();
		}
	}

	/**
	 * Whether the request about to begin goes to this worker: counted in flight first,
	 * then sent only if the worker is not retiring (the order matters, see
	 * {@link Backend}).
	 */
	private boolean sendsNextRequest() {
		boolean counted = this.inFlight;
		countInFlight();
		if (backend().isRetiring()) {
			if (!counted) {
				notInFlight();
			}
			return false;
		}
		return true;
	}

	private void countInFlight() {
		if (!this.inFlight) {
			this.inFlight = true;
			backend().requestStarted();
		}
	}

	/** No request of this connection waits for the worker's answer any more. */
	private void notInFlight() {
		if (this.inFlight) {
			this.inFlight = false;
			backend().requestEnded();
		}
	}

	private void requestHead() throws IOException {
		HeadReader head = this.requests.head();
		if (this.requests.isPipe()) {
			becomePipe();
		}
		else {
			this.unanswered.begin(this.requests.idempotent() && this.responses.outstanding() == 0);
			this.responses.requestSent(this.requests.headMethod());
			this.clientAskedToClose |= this.requests.asksToClose();
		}
		toWorker(Objects.requireNonNull(head.head()), head.start(), head.end());
		head.release();
	}

	/**
	 * Passes on bytes from..to of a buffer, copying them first if the request may be sent
	 * again.
	 */
	private void toWorker(ByteBuffer data, int from, int to) {
		int limit = data.limit();
		data.limit(to).position(from);
		this.unanswered.record(data);
		try {
			this.toWorker.forward(data);
		}
		catch (IOException ex) {
			this.workerFailed = true;
		}
		data.limit(limit).position(to);
	}

	private void flushToWorker() throws IOException {
		try {
			this.toWorker.flush();
		}
		catch (IOException ex) {
			workerClosed();
		}
	}

	private void reject() throws IOException {
		this.rejected = true;
		if (this.responses.idle()) {
			reply(Replies.BAD_REQUEST);
		}
	}

	/** Keeps client bytes for the next worker, behind any kept before. */
	private void hold(ByteBuffer data) {
		if (!data.hasRemaining()) {
			return;
		}
		int size = ((this.held != null) ? this.held.position() : 0) + data.remaining();
		if (this.held == null || this.held.capacity() < size) {
			ByteBuffer grown = ByteBuffer.allocate(size);
			if (this.held != null) {
				grown.put(this.held.flip());
			}
			this.held = grown;
		}
		this.held.put(data);
	}

	private void readWorker() throws IOException {
		ByteBuffer buffer = this.loop.buffer().clear();
		int read;
		try {
			read = worker().read(buffer);
		}
		catch (IOException ex) {
			workerClosed();
			return;
		}
		if (read < 0) {
			workerClosed();
			return;
		}
		buffer.flip();
		while (buffer.hasRemaining() && this.worker != null) {
			int from = buffer.position();
			if (this.pipe) {
				this.toClient.forward(buffer);
				return;
			}
			switch (this.responses.advance(buffer)) {
				case MORE -> {
					// the head goes on in the next read
				}
				case INTERIM -> responseHead();
				case HEAD -> {
					this.unanswered.answered();
					if (this.responses.outstanding() <= 1) {
						notInFlight();
					}
					responseHead();
				}
				case BODY -> toClient(buffer, from, buffer.position());
			}
			if (this.responses.isPipe() && !this.pipe) {
				becomePipe();
			}
		}
		if (this.worker != null && this.responses.idle()) {
			if (this.rejected) {
				reply(Replies.BAD_REQUEST);
			}
			else if (this.held != null && backend().isRetiring()) {
				moveToAnotherWorker();
			}
		}
	}

	private void responseHead() throws IOException {
		HeadReader head = this.responses.head();
		toClient(Objects.requireNonNull(head.head()), head.start(), head.end());
		head.release();
	}

	private void toClient(ByteBuffer data, int from, int to) throws IOException {
		int limit = data.limit();
		this.toClient.forward(data.limit(to).position(from));
		data.limit(limit).position(to);
	}

	/** From now on both directions are relayed as plain bytes: no handover, no replay. */
	private void becomePipe() throws IOException {
		this.pipe = true;
		this.unanswered.answered();
		notInFlight();
		ByteBuffer partialResponse = this.responses.pipe();
		if (partialResponse != null) {
			this.toClient.forward(partialResponse);
		}
		ByteBuffer partialRequest = this.requests.pipe();
		if (partialRequest != null) {
			this.toWorker.forward(partialRequest);
		}
	}

	/** The worker closed its side of the connection, or reset it. */
	private void workerClosed() throws IOException {
		if (this.pipe || this.responses.endsWithInput()
				|| (this.responses.closeAfter() && this.responses.atResponseBoundary())) {
			// The end of the worker's bytes, of a response delimited by the close, or
			// after a
			// response that said it would close: pipelined requests after it were not
			// run,
			// and the client knows to send them again.
			this.toClient.endOfInput();
			return;
		}
		if (this.responses.idle()) {
			if (this.rejected) {
				reply(Replies.BAD_REQUEST);
				return;
			}
			if (backend().isRetiring() && !this.responses.closeAfter() && !this.clientAskedToClose) {
				// An idle keep-alive connection the retiring worker let go: keep the
				// client,
				// its next request goes to another worker.
				dropWorker();
				if (this.held != null) {
					connect();
				}
				return;
			}
			this.toClient.endOfInput();
			return;
		}
		workerGone();
	}

	/**
	 * The worker is gone with a request not fully answered: an idempotent request a
	 * retiring worker never began to answer goes to another worker; otherwise the client
	 * gets 502, or a close when its response had begun.
	 */
	private void workerGone() throws IOException {
		if (this.responses.answering()) {
			this.loop.requestFailed();
			close();
			return;
		}
		if (this.backend != null && this.backend.isRetiring() && this.unanswered.canReplay()
				&& this.responses.outstanding() == 1) {
			this.responses.restart();
			moveToAnotherWorker();
			return;
		}
		if (this.responses.outstanding() > 0) {
			this.loop.requestFailed();
		}
		reply(Replies.BAD_GATEWAY);
	}

	/** Answers the client on the worker's behalf, then ends the connection. */
	private void reply(byte[] response) throws IOException {
		this.replied = true;
		this.held = null;
		dropWorker();
		this.toClient.forward(ByteBuffer.wrap(response));
		this.toClient.endOfInput();
	}

	/** Leaves the current worker, if any, and sends what it did not answer to another. */
	private void moveToAnotherWorker() {
		dropWorker();
		connect();
	}

	private void endConnect() {
		if (this.connectPending) {
			this.connectPending = false;
			backend().connectEnded();
		}
	}

	private void dropWorker() {
		endConnect();
		if (this.workerKey != null) {
			this.workerKey.cancel();
			this.workerKey = null;
		}
		closeQuietly(this.worker);
		this.worker = null;
		this.connected = false;
		this.toWorker.retarget(null);
		if (this.backend != null) {
			notInFlight();
			this.backend.closed();
			this.backend = null;
		}
	}

	private Backend backend() {
		return Objects.requireNonNull(this.backend, "No worker picked");
	}

	private SocketChannel worker() {
		return Objects.requireNonNull(this.worker, "No worker connection");
	}

	private void updateInterest() {
		boolean readClient;
		if (this.replied) {
			readClient = !this.clientEnded;
		}
		else if (this.waiting) {
			readClient = !this.clientEnded && (this.held == null || this.held.position() < this.maxHeaderSize);
		}
		else if (this.worker == null) {
			readClient = !this.clientEnded;
		}
		else {
			readClient = this.connected && this.toWorker.accepts() && this.held == null && !this.rejected
					&& this.responses.outstanding() < ResponseFraming.MAX_OUTSTANDING;
		}
		interest(this.clientKey, readClient, this.toClient.wantsWrite());
		if (this.connected) {
			interest(this.workerKey, this.toClient.accepts(), this.toWorker.wantsWrite());
		}
	}

	private static void interest(@Nullable SelectionKey key, boolean read, boolean write) {
		int ops = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
		if (key != null && key.isValid() && key.interestOps() != ops) {
			key.interestOps(ops);
		}
	}

	void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.loop.closed(this);
		closeQuietly(this.client);
		dropWorker();
	}

	private static void closeQuietly(@Nullable SocketChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// already gone
			}
		}
	}

}
