package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.ProxiedClientValve;
import dev.bootcluster.worker.ProxyProtocolHttp11NioProtocol;
import dev.bootcluster.worker.WorkerAgent;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import reactor.netty.http.server.ProxyProtocolSupportType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * In a worker behind the primary's front door: its server reads the PROXY protocol
 * header the primary sends on the internal hop, so the application sees the real
 * client's address (Jetty and Reactor Netty with {@code netty-codec-haproxy} natively;
 * Tomcat through {@link ProxyProtocolHttp11NioProtocol}), and the worker tells the
 * primary to send it. Only on the internal loopback port: with the 'os' policy clients
 * connect directly and could forge one.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnProperty(name = "cluster.worker.shared-port", havingValue = "none", matchIfMissing = true)
public class ClusterWorkerProxyProtocolAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.tomcat.TomcatWebServerFactory",
			"org.apache.tomcat.util.net.NioEndpoint" })
	static class TomcatProxyProtocolConfiguration {

		@Bean
		WebServerFactoryCustomizer<TomcatWebServerFactory> clusterTomcatProxyProtocol() {
			// Tomcat cannot read the header: an endpoint that does, and a valve that applies it.
			return (factory) -> {
				factory.setProtocol(ProxyProtocolHttp11NioProtocol.class.getName());
				factory.addEngineValves(new ProxiedClientValve());
				WorkerAgent.current().readsProxyProtocol();
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.jetty.ConfigurableJettyWebServerFactory",
			"org.eclipse.jetty.server.ProxyConnectionFactory" })
	static class JettyProxyProtocolConfiguration {

		@Bean
		WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> clusterJettyProxyProtocol() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				for (var connector : server.getConnectors()) {
					if (connector instanceof ServerConnector serverConnector) {
						// Jetty detects the header and falls through to HTTP without one.
						serverConnector
							.addFirstConnectionFactory(new ProxyConnectionFactory(serverConnector.getDefaultProtocol()));
					}
				}
				WorkerAgent.current().readsProxyProtocol();
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory",
			"io.netty.handler.codec.haproxy.HAProxyMessageDecoder" })
	static class NettyProxyProtocolConfiguration {

		@Bean
		WebServerFactoryCustomizer<NettyReactiveWebServerFactory> clusterNettyProxyProtocol() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				WorkerAgent.current().readsProxyProtocol();
				return server.proxyProtocol(ProxyProtocolSupportType.AUTO);
			});
		}

	}

}
