package dev.bootcluster.channel;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One end of the control connection between the primary and a worker: a blocking Unix
 * domain socket carrying {@link Message} lines. Either side treats the end of the stream
 * as the other's death.
 * <p>
 * Threads: one reader thread calls {@link #read()}; any thread may {@link #send}
 * (sends are serialised on this object).
 */
public final class Channel implements Closeable {

	private static final int MAX_LINE = 64 * 1024;

	private final SocketChannel socket;

	private final ByteBuffer in = ByteBuffer.allocate(4096).flip();

	Channel(SocketChannel socket) {
		this.socket = socket;
	}

	public static Channel connect(Path path) throws IOException {
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			socket.connect(UnixDomainSocketAddress.of(path));
			return new Channel(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	public synchronized void send(Message message) throws IOException {
		ByteBuffer out = ByteBuffer.wrap(message.encode().getBytes(StandardCharsets.UTF_8));
		while (out.hasRemaining()) {
			this.socket.write(out);
		}
	}

	/**
	 * Blocks for the next message.
	 * @return the message, or {@code null} when the other side has gone
	 */
	public Message read() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			while (this.in.hasRemaining()) {
				byte b = this.in.get();
				if (b == '\n') {
					Message message = Message.decode(line.toString(StandardCharsets.UTF_8));
					if (message != null) {
						return message;
					}
					line.reset();
				}
				else if (line.size() < MAX_LINE) {
					line.write(b);
				}
				else {
					throw new IOException("Control message longer than " + MAX_LINE + " bytes");
				}
			}
			this.in.clear();
			int read = this.socket.read(this.in);
			this.in.flip();
			if (read < 0) {
				return null;
			}
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing is all that matters here
		}
	}

}
