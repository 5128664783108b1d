package dev.bootcluster.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The cluster's controls are protected like any actuator endpoint: here, anyone may read
 * the app and {@code GET /actuator/cluster}, but only an ADMIN may reload or restart
 * workers ({@code spring.security.user.*} in application.properties, HTTP basic).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/actuator/cluster/**")
			.hasRole("ADMIN")
			.anyRequest()
			.permitAll());
		http.httpBasic(Customizer.withDefaults());
		// The actuator, /orders and /upload are APIs for scripts, not browser forms: no CSRF token there.
		http.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/**", "/orders", "/upload"));
		return http.build();
	}

}
