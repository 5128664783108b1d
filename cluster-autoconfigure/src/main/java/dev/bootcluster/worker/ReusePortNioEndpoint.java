package dev.bootcluster.worker;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

import org.apache.tomcat.util.net.NioEndpoint;

/**
 * Tomcat's NIO endpoint, listening with SO_REUSEPORT so that every worker can listen on
 * the cluster's public port and the kernel spreads the connections (the 'os' scheduling
 * policy). Tomcat has no option for it: this binds the socket as Tomcat would, with the
 * option set, and hands it to the endpoint.
 */
public class ReusePortNioEndpoint extends NioEndpoint {

	private static final Field SERVER_SOCK;

	static {
		try {
			SERVER_SOCK = NioEndpoint.class.getDeclaredField("serverSock");
			SERVER_SOCK.setAccessible(true);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("This Tomcat cannot listen with SO_REUSEPORT", ex);
		}
	}

	@Override
	protected void initServerSocket() throws Exception {
		ServerSocketChannel channel = ServerSocketChannel.open();
		getSocketProperties().setProperties(channel.socket());
		channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
		channel.bind(new InetSocketAddress(getAddress(), getPortWithOffset()), getAcceptCount());
		channel.configureBlocking(true);
		SERVER_SOCK.set(this, channel);
	}

}
