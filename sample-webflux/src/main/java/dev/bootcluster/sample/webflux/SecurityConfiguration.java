package dev.bootcluster.sample.webflux;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Boot's login form, with its {@code WebSession} and CSRF token, for {@code GET /me};
 * every other page is open.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/me").authenticated().anyExchange().permitAll());
		http.formLogin(Customizer.withDefaults());
		return http.build();
	}

}
