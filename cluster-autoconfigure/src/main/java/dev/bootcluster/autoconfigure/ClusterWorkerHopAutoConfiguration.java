package dev.bootcluster.autoconfigure;

import java.nio.file.Path;

import dev.bootcluster.worker.ProxyProtocolHttp11NioProtocol;
import dev.bootcluster.worker.WorkerAgent;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.ProxyProtocolSupportType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * A worker's end of the internal hop behind the primary's front door. Its server listens
 * on the Unix domain socket the primary chose where the server can (Tomcat; Jetty with
 * {@code jetty-unixdomain-server}), and reads the PROXY protocol header the primary sends
 * first on each connection, so the application sees the real client's address (Jetty and
 * Reactor Netty with {@code netty-codec-haproxy} natively; Tomcat through
 * {@link ProxyProtocolHttp11NioProtocol}); the worker tells the primary both. Never with
 * the 'os' policy: clients connect directly and could forge a header. Actuator's own
 * server reads the header the same way ({@link ClusterWorkerManagementHopConfiguration}).
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnProperty(name = "cluster.worker.shared-port", havingValue = "none", matchIfMissing = true)
public class ClusterWorkerHopAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.tomcat.TomcatWebServerFactory",
			"org.apache.tomcat.util.net.NioEndpoint" })
	static class TomcatHopConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterTomcatHop")
		WebServerFactoryCustomizer<TomcatWebServerFactory> clusterTomcatHop() {
			return (factory) -> {
				readProxyHeaders(factory, WorkerAgent.SERVER);
				Path socket = WorkerAgent.running().serverHopSocket();
				if (socket != null) {
					factory.addConnectorCustomizers(
							(connector) -> connector.setProperty("unixDomainSocketPath", socket.toString()));
				}
			};
		}

		/** Tomcat cannot read the header: an endpoint that does. */
		static void readProxyHeaders(TomcatWebServerFactory factory, String namespace) {
			factory.setProtocol(ProxyProtocolHttp11NioProtocol.class.getName());
			WorkerAgent.running().readsProxyProtocol(namespace);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.jetty.ConfigurableJettyWebServerFactory",
			"org.eclipse.jetty.server.ProxyConnectionFactory" })
	static class JettyHopConfiguration {

		private static final boolean UNIX_DOMAIN_PRESENT = ClassUtils.isPresent(
				"org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector",
				JettyHopConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean(name = "clusterJettyHop")
		WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> clusterJettyHop() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				readProxyHeaders(server, WorkerAgent.SERVER);
				Path socket = UNIX_DOMAIN_PRESENT ? WorkerAgent.running().serverHopSocket() : null;
				if (socket != null) {
					for (Connector connector : server.getConnectors()) {
						if (connector instanceof ServerConnector serverConnector) {
							UnixDomain.replace(server, serverConnector, socket);
						}
					}
				}
			});
		}

		/** Jetty detects the header and falls through to HTTP without one. */
		static void readProxyHeaders(Server server, String namespace) {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector
						.addFirstConnectionFactory(new ProxyConnectionFactory(serverConnector.getDefaultProtocol()));
				}
			}
			WorkerAgent.running().readsProxyProtocol(namespace);
		}

	}

	/**
	 * Kept apart so that Jetty without {@code jetty-unixdomain-server} never loads it.
	 */
	private static final class UnixDomain {

		static void replace(Server server, ServerConnector connector, Path socket) {
			UnixDomainServerConnector unix = new UnixDomainServerConnector(server,
					connector.getConnectionFactories().toArray(new org.eclipse.jetty.server.ConnectionFactory[0]));
			unix.setUnixDomainPath(socket);
			server.removeConnector(connector);
			server.addConnector(unix);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory",
			"io.netty.handler.codec.haproxy.HAProxyMessageDecoder" })
	static class NettyHopConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterNettyHop")
		WebServerFactoryCustomizer<NettyReactiveWebServerFactory> clusterNettyHop() {
			return (factory) -> factory.addServerCustomizers((server) -> readProxyHeaders(server, WorkerAgent.SERVER));
		}

		static HttpServer readProxyHeaders(HttpServer server, String namespace) {
			WorkerAgent.running().readsProxyProtocol(namespace);
			return server.proxyProtocol(ProxyProtocolSupportType.AUTO);
		}

	}

}
