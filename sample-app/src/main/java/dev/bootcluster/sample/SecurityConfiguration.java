package dev.bootcluster.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * The cluster's controls are protected like any actuator endpoint: here, anyone may read
 * the app and {@code GET /actuator/cluster}, but only an ADMIN may reload or restart
 * workers ({@code spring.security.user.*} in application.properties, HTTP basic). People
 * log in with Boot's login form ({@code /login}) to see {@code GET /me}.
 * <p>
 * Security headers are written before the app runs, not as the response commits: an SSE
 * stream ({@code GET /events}) commits its response on the app's own thread, and by
 * default Spring Security 7.0 would then add its headers on both that thread and the
 * request thread at once — Tomcat's header list is not thread-safe, and some responses
 * went out with a duplicated or nameless header (or failed with a
 * {@code NullPointerException} in {@code MimeHeaders}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/actuator/cluster/**")
			.hasRole("ADMIN")
			.requestMatchers("/me")
			.authenticated()
			.anyRequest()
			.permitAll());
		http.httpBasic(Customizer.withDefaults());
		// Boot's default login page, for people: the session and its CSRF token are the
		// cluster's, kept by the primary, so a login works whichever worker answers.
		http.formLogin(Customizer.withDefaults());
		// The actuator, /orders, /upload, /jobs, the messaging and cached-greeting
		// endpoints are APIs for
		// scripts, not browser forms: no CSRF token there.
		http.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/**", "/orders", "/upload", "/jobs/**", "/ask/**",
				"/broadcast", "/announce", "/greeting/cached"));
		http.headers((headers) -> headers.addObjectPostProcessor(new WriteHeadersFirst()));
		return http.build();
	}

	/**
	 * Spring Security has no DSL for it:
	 * {@code HeaderWriterFilter.setShouldWriteHeadersEagerly}.
	 */
	private static final class WriteHeadersFirst implements ObjectPostProcessor<HeaderWriterFilter> {

		@Override
		public <O extends HeaderWriterFilter> O postProcess(O filter) {
			filter.setShouldWriteHeadersEagerly(true);
			return filter;
		}

	}

}
