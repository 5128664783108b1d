package dev.bootcluster.autoconfigure;

import java.net.StandardSocketOptions;

import dev.bootcluster.worker.ReusePortHttp11NioProtocol;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import org.eclipse.jetty.server.ServerConnector;

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
 * In a worker of a cluster with the 'os' scheduling policy: the embedded server listens
 * on the public port itself, with SO_REUSEPORT, beside the other workers, and the kernel
 * spreads the connections. Tomcat, Jetty and Reactor Netty.
 */
@AutoConfiguration
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnProperty("cluster.worker.shared-port")
public class ClusterWorkerServerAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.tomcat.TomcatWebServerFactory",
			"org.apache.tomcat.util.net.NioEndpoint" })
	static class TomcatReusePortConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterTomcatReusePort")
		WebServerFactoryCustomizer<TomcatWebServerFactory> clusterTomcatReusePort() {
			// Tomcat has no option for it: a protocol whose endpoint binds with
			// SO_REUSEPORT.
			return (factory) -> factory.setProtocol(ReusePortHttp11NioProtocol.class.getName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.jetty.ConfigurableJettyWebServerFactory",
			"org.eclipse.jetty.server.ServerConnector" })
	static class JettyReusePortConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterJettyReusePort")
		WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> clusterJettyReusePort() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				for (var connector : server.getConnectors()) {
					if (connector instanceof ServerConnector serverConnector) {
						serverConnector.setReusePort(true);
					}
				}
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory",
			"io.netty.channel.unix.UnixChannelOption" })
	static class NettyReusePortConfiguration {

		private static final boolean EPOLL_PRESENT = ClassUtils.isPresent("io.netty.channel.epoll.Epoll",
				NettyReusePortConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean(name = "clusterNettyReusePort")
		WebServerFactoryCustomizer<NettyReactiveWebServerFactory> clusterNettyReusePort() {
			// Reactor Netty runs on epoll where it can, else on NIO: each has its own
			// option.
			return (factory) -> factory.addServerCustomizers((server) -> (EPOLL_PRESENT && Epoll.isAvailable())
					? server.option(UnixChannelOption.SO_REUSEPORT, true)
					: server.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true));
		}

	}

}
