package dev.bootcluster.sample;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;

/**
 * On actuator's own port (when {@code management.server.port} is set):
 * {@code GET /client} answers who asked, as {@code GET /} does on the server port, so a
 * test can see that actuator gets the real client's address too.
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
			answer(http, (HttpServletResponse) response);
		};
	}

	private static void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getWriter()
			.write("{\"pid\":" + ProcessHandle.current().pid() + ",\"remote\":\"" + request.getRemoteAddr()
					+ "\",\"remotePort\":" + request.getRemotePort() + ",\"localPort\":" + request.getLocalPort()
					+ "}");
	}

}
