package dev.bootcluster.actuate;

import java.security.Principal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ServletSecurityPageViewersTests {

	private final WebInvocationPrivilegeEvaluator rules = mock(WebInvocationPrivilegeEvaluator.class);

	private final TestingAuthenticationToken admin = new TestingAuthenticationToken("admin", "", "ROLE_ADMIN");

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/shop/actuator/cluster/");

	@BeforeEach
	void onARequestThread() {
		this.request.setContextPath("/shop");
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(this.request));
		SecurityContextHolder.getContext().setAuthentication(this.admin);
	}

	@AfterEach
	void clear() {
		RequestContextHolder.resetRequestAttributes();
		SecurityContextHolder.clearContext();
	}

	@Test
	void asksTheApplicationsRulesAboutAPostNextToThePageAndPassesTheCsrfToken() {
		given(this.rules.isAllowed("/shop", "/actuator/cluster/reload", "POST", this.admin)).willReturn(true);
		this.request.setAttribute(CsrfToken.class.getName(), new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "t0k3n"));
		ClusterPage.Viewer viewer = new ServletSecurityPageViewers(() -> this.rules).viewer(SecurityContext.NONE);
		assertThat(viewer).isEqualTo(new ClusterPage.Viewer(true, new ClusterPage.Csrf("X-CSRF-TOKEN", "t0k3n")));
	}

	@Test
	void aUserTheRulesRefuseMayNotAct() {
		given(this.rules.isAllowed(any(), any(), any(), any())).willReturn(false);
		assertThat(new ServletSecurityPageViewers(() -> this.rules).viewer(SecurityContext.NONE))
			.isEqualTo(ClusterPage.Viewer.READ_ONLY);
	}

	@Test
	void withoutRulesToAskWhoeverHasLoggedInMayAct() {
		SecurityContext loggedIn = new SecurityContext() {

			@Override
			public Principal getPrincipal() {
				return ServletSecurityPageViewersTests.this.admin;
			}

			@Override
			public boolean isUserInRole(String role) {
				return false;
			}

		};
		ServletSecurityPageViewers viewers = new ServletSecurityPageViewers(() -> null);
		assertThat(viewers.viewer(loggedIn).mayAct()).isTrue();
		assertThat(viewers.viewer(SecurityContext.NONE).mayAct()).isFalse();
	}

}
