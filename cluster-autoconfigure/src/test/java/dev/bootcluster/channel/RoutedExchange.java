package dev.bootcluster.channel;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bootcluster.frontdoor.Backend;
import dev.bootcluster.primary.MessageRouter;

/**
 * A real exchange with the primary's {@link MessageRouter} on it, for tests that speak
 * for several workers: every worker's launch token is issued for one stand-in process
 * ({@code sleep}), so that the exchange's checks pass. Closing it closes every worker's
 * exchange, the server and the stand-in.
 */
final class RoutedExchange implements Closeable {

	private final Path directory;

	private final LaunchTokens tokens = new LaunchTokens();

	private final MessageRouter router = new MessageRouter();

	private final List<Exchange> workers = new CopyOnWriteArrayList<>();

	private final Process process;

	private final ExchangeServer server;

	private RoutedExchange(Path directory) throws IOException {
		this.directory = directory;
		this.process = new ProcessBuilder("sleep", "60").start();
		this.router.ready(List.of(new Backend(1, this.process.pid(), Map.of())));
		this.server = ExchangeServer.open(directory, this.tokens, Map.of(MessageRouter.NAME, this.router));
	}

	static RoutedExchange open(Path directory) throws IOException {
		return new RoutedExchange(directory);
	}

	MessageRouter router() {
		return this.router;
	}

	/** Connects as worker {@code id}, with requests timing out after {@code timeout}. */
	Exchange connect(int id, Duration timeout) {
		String token = this.tokens.issue();
		this.tokens.launched(token, this.process.toHandle());
		try {
			Exchange exchange = Exchange.connect(this.directory.resolve(ExchangeServer.SOCKET), id, this.process.pid(),
					token, timeout);
			this.workers.add(exchange);
			return exchange;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.workers.forEach(Exchange::close);
		this.process.destroyForcibly();
		this.server.close();
	}

}
