package dev.bootcluster.sample.webflux;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.server.WebFilter;

/**
 * On actuator's own port: {@code GET /client} answers who asked, as {@code GET /} does on
 * the server port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementClientConfiguration {

	@Bean
	WebFilter managementClient() {
		return (exchange, chain) -> {
			if (!"/client".equals(exchange.getRequest().getPath().value())) {
				return chain.filter(exchange);
			}
			InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
			String body = "{\"pid\":" + ProcessHandle.current().pid() + ",\"remote\":\""
					+ remote.getAddress().getHostAddress() + "\",\"remotePort\":" + remote.getPort() + ",\"localPort\":"
					+ exchange.getRequest().getLocalAddress().getPort() + "}";
			exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
			DataBuffer buffer = exchange.getResponse().bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
			return exchange.getResponse().writeWith(Mono.just(buffer));
		};
	}

}
