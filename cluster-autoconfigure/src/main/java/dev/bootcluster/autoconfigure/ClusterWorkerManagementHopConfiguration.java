package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.WorkerAgent;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A worker's actuator server, when {@code management.server.port} is a port of its own:
 * the primary relays it with a PROXY protocol header too (whatever the scheduling
 * policy), and it reads the header exactly as the application's server does
 * ({@link ClusterWorkerHopAutoConfiguration}), so actuator and its security rules see the
 * real client, never the primary's 127.0.0.1. Boot applies it in the management child
 * context, whose server factory the application's customizers do not reach.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(OnClusterWorkerCondition.class)
public class ClusterWorkerManagementHopConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.tomcat.TomcatWebServerFactory",
			"org.apache.tomcat.util.net.NioEndpoint" })
	static class TomcatManagementHopConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterTomcatManagementHop")
		WebServerFactoryCustomizer<TomcatWebServerFactory> clusterTomcatManagementHop() {
			return (factory) -> ClusterWorkerHopAutoConfiguration.TomcatHopConfiguration.readProxyHeaders(factory,
					WorkerAgent.MANAGEMENT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.jetty.ConfigurableJettyWebServerFactory",
			"org.eclipse.jetty.server.ProxyConnectionFactory" })
	static class JettyManagementHopConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterJettyManagementHop")
		WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> clusterJettyManagementHop() {
			return (factory) -> factory
				.addServerCustomizers((server) -> ClusterWorkerHopAutoConfiguration.JettyHopConfiguration
					.readProxyHeaders(server, WorkerAgent.MANAGEMENT));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory",
			"io.netty.handler.codec.haproxy.HAProxyMessageDecoder" })
	static class NettyManagementHopConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "clusterNettyManagementHop")
		WebServerFactoryCustomizer<NettyReactiveWebServerFactory> clusterNettyManagementHop() {
			return (factory) -> factory
				.addServerCustomizers((server) -> ClusterWorkerHopAutoConfiguration.NettyHopConfiguration
					.readProxyHeaders(server, WorkerAgent.MANAGEMENT));
		}

	}

}
