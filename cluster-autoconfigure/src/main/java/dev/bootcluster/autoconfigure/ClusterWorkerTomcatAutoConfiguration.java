package dev.bootcluster.autoconfigure;

import dev.bootcluster.worker.ReusePortHttp11NioProtocol;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * In a worker of a cluster with the 'os' scheduling policy: Tomcat listens on the public
 * port itself, with SO_REUSEPORT, beside the other workers.
 */
@AutoConfiguration
@ConditionalOnClass(name = { "org.springframework.boot.tomcat.TomcatWebServerFactory",
		"org.apache.tomcat.util.net.NioEndpoint" })
@Conditional(OnClusterWorkerCondition.class)
@ConditionalOnProperty("cluster.worker.shared-port")
public class ClusterWorkerTomcatAutoConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatWebServerFactory> clusterReusePortCustomizer() {
		return (factory) -> factory.setProtocol(ReusePortHttp11NioProtocol.class.getName());
	}

}
