package dev.bootcluster.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A server of the app's own beside its web server, for the cluster's extra ports: a plain
 * line protocol on {@code sample.echo.port} (in a worker, the loopback port the primary
 * chose, {@code cluster.worker.port.echo}) that answers each line with
 * {@code <worker id> <pid> <line>}, so a client sees which worker served it. Started only
 * with {@code sample.echo.enabled=true}.
 * <p>
 * It stops like a web server's graceful shutdown: no new connections, and each open one
 * is closed at a line boundary — at once while it waits for a line, after its answer
 * while it is answering — so that no client gets half an answer.
 * <p>
 * Threads: one acceptor thread and one thread per connection; the connection set is
 * concurrent, and each connection's state is guarded by the connection itself.
 */
@Component
@ConditionalOnBooleanProperty("sample.echo.enabled")
public class LineEchoServer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LineEchoServer.class);

	private final int port;

	private final String worker;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	public LineEchoServer(@Value("${sample.echo.port}") int port, @Value("${cluster.worker.id:none}") String worker) {
		this.port = port;
		this.worker = worker;
	}

	@Override
	public void start() {
		try {
			ServerSocket server = new ServerSocket();
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.server = server;
			logger.info("Line echo server listening on port " + server.getLocalPort());
			Thread acceptor = new Thread(() -> accept(server), "line-echo-acceptor");
			acceptor.setDaemon(true);
			acceptor.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not listen on port " + this.port, ex);
		}
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			try {
				Connection connection = new Connection(server.accept());
				this.connections.add(connection);
				Thread thread = new Thread(() -> serve(connection), "line-echo-" + connection.socket.getPort());
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Connection connection) {
		try (Socket socket = connection.socket) {
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			OutputStream out = socket.getOutputStream();
			String prefix = this.worker + " " + ProcessHandle.current().pid() + " ";
			for (String line = in.readLine(); line != null && connection.answering(); line = in.readLine()) {
				out.write((prefix + line + "\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
				if (!connection.answered()) {
					return;
				}
			}
		}
		catch (IOException ex) {
			// the client left, or stop() closed an idle connection
		}
		finally {
			this.connections.remove(connection);
		}
	}

	@Override
	public void stop() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
		this.connections.forEach(Connection::stop);
	}

	@Override
	public boolean isRunning() {
		return this.server != null && !this.server.isClosed();
	}

	/** One client connection: stopped at once when idle, else after its answer. */
	private static final class Connection {

		private final Socket socket;

		private boolean busy;

		private boolean stopping;

		Connection(Socket socket) {
			this.socket = socket;
		}

		/** A line came: answer it, unless the server is stopping. */
		synchronized boolean answering() {
			this.busy = !this.stopping;
			return this.busy;
		}

		/** The answer is out: go on, unless the server is stopping. */
		synchronized boolean answered() {
			this.busy = false;
			return !this.stopping;
		}

		synchronized void stop() {
			this.stopping = true;
			if (!this.busy) {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// closing is all that matters here
				}
			}
		}

	}

}
