package dev.bootcluster.sample.jetty;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Boot's login form, with its session and CSRF token, for {@code GET /me}; every other
 * page is open.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/me").authenticated().anyRequest().permitAll());
		http.formLogin(Customizer.withDefaults());
		return http.build();
	}

}
