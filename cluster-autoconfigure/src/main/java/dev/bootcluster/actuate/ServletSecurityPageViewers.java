package dev.bootcluster.actuate;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * In a servlet application with Spring Security: asks the application's own rules whether
 * this user may {@code POST} a reload next to the page, and hands the page the request's
 * CSRF token (Spring Security sets it on every request its CSRF filter sees, even where
 * it does not check one). Stateless; called on the request's thread.
 */
public class ServletSecurityPageViewers implements ClusterPageViewers {

	private final Supplier<@Nullable WebInvocationPrivilegeEvaluator> privileges;

	/**
	 * @param privileges the application's rules, asked for at each request: Spring
	 * Security defines them with its filter chain, after this starter's configuration
	 */
	public ServletSecurityPageViewers(Supplier<@Nullable WebInvocationPrivilegeEvaluator> privileges) {
		this.privileges = privileges;
	}

	@Override
	public ClusterPage.Viewer viewer(SecurityContext context) {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		WebInvocationPrivilegeEvaluator rules = this.privileges.get();
		if (!(attributes instanceof ServletRequestAttributes servlet) || rules == null) {
			return LOGGED_IN.viewer(context);
		}
		HttpServletRequest request = servlet.getRequest();
		String contextPath = request.getContextPath();
		String page = request.getRequestURI().substring(contextPath.length()).replaceAll("/+$", "");
		boolean mayAct = rules.isAllowed(contextPath, page + "/reload", "POST",
				SecurityContextHolder.getContext().getAuthentication());
		Object token = request.getAttribute(CsrfToken.class.getName());
		return new ClusterPage.Viewer(mayAct,
				(token instanceof CsrfToken csrf) ? new ClusterPage.Csrf(csrf.getHeaderName(), csrf.getToken()) : null);
	}

}
