package dev.bootcluster.sample.jetty;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;

/**
 * On actuator's own port: {@code GET /client} answers who asked, as {@code GET /} does on
 * the server port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementClientConfiguration {

	@Bean
	Filter managementClient() {
		return (request, response, chain) -> {
			HttpServletRequest http = (HttpServletRequest) request;
			if (!"/client".equals(http.getRequestURI())) {
				chain.doFilter(request, response);
				return;
			}
			response.setContentType("application/json");
			response.getWriter()
				.write("{\"pid\":" + ProcessHandle.current().pid() + ",\"remote\":\"" + http.getRemoteAddr()
						+ "\",\"remotePort\":" + http.getRemotePort() + ",\"localPort\":" + http.getLocalPort() + "}");
		};
	}

}
