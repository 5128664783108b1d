package dev.bootcluster.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.bootcluster.channel.ControlServer;
import dev.bootcluster.channel.QuietListener;
import dev.bootcluster.channel.Exchange;
import dev.bootcluster.channel.ExchangeServer;
import dev.bootcluster.primary.SessionService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import jakarta.servlet.Filter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.savedrequest.RequestCacheAwareFilter;
import org.springframework.session.MapSession;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's session repositories against a real primary's exchange and session
 * service: sessions saved, found, renamed at login and deleted; attributes read back with
 * the application's class loader, and a session whose classes are gone dropped with a
 * WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrimarySessionRepositoryTests {

	private ControlServer control;

	private ExchangeServer server;

	private Process worker;

	private Exchange exchange;

	private PrimarySessions sessions;

	@BeforeEach
	void connect() throws IOException {
		this.control = ControlServer.open(new QuietListener(), "test");
		this.server = this.control.openExchange(Map.of(SessionService.NAME, SessionService.start(1024 * 1024)));
		this.worker = new ProcessBuilder("sleep", "60").start();
		String token = this.control.issueToken();
		this.control.launched(token, this.worker.toHandle());
		this.exchange = Exchange.connect(ExchangeServer.socketBeside(this.control.socketPath()), 1, this.worker.pid(),
				token, Duration.ofSeconds(10));
		this.sessions = new PrimarySessions(() -> this.exchange, getClass().getClassLoader(), Duration.ofMinutes(20));
	}

	@AfterEach
	void close() throws IOException {
		this.exchange.close();
		this.worker.destroyForcibly();
		this.server.close();
		this.control.close();
	}

	@Test
	void aSessionIsSavedFoundRenamedAndDeleted() {
		PrimarySessionRepository repository = new PrimarySessionRepository(this.sessions);
		PrimarySession session = repository.createSession();
		assertThat(session.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(20));
		session.setAttribute("cart", new Cart(List.of("book", "pen")));
		repository.save(session);
		PrimarySession found = repository.findById(session.getId());
		assertThat(found).isNotNull();
		assertThat(found.<Cart>getAttribute("cart")).isEqualTo(new Cart(List.of("book", "pen")));
		assertThat(found.getCreationTime().toEpochMilli()).isEqualTo(session.getCreationTime().toEpochMilli());
		String before = found.getId();
		String after = found.changeSessionId();
		repository.save(found);
		assertThat(repository.findById(before)).as("the id before the login").isNull();
		assertThat(repository.findById(after)).as("the id after the login").isNotNull();
		repository.deleteById(after);
		assertThat(repository.findById(after)).isNull();
	}

	@Test
	void aRequestThatChangedNothingSavesNothing() {
		PrimarySessionRepository repository = new PrimarySessionRepository(this.sessions);
		PrimarySession session = repository.createSession();
		session.setAttribute("user", "admin");
		repository.save(session);
		PrimarySession read = repository.findById(session.getId());
		// Gone from the primary behind this request's back: a save would bring it back.
		repository.deleteById(session.getId());
		read.setLastAccessedTime(read.getLastAccessedTime().plusSeconds(1));
		repository.save(read);
		assertThat(repository.findById(session.getId())).as("an unchanged session, not sent again").isNull();
		read.setAttribute("user", "someone else");
		repository.save(read);
		assertThat(repository.findById(session.getId()).<String>getAttribute("user")).isEqualTo("someone else");
	}

	@Test
	void aLoggedInRequestThroughSpringSessionAndSecurityReadsTheSessionOnceAndSavesNothing() throws Exception {
		PrimarySessionRepository repository = new PrimarySessionRepository(this.sessions);
		PrimarySession session = repository.createSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("admin", null,
						AuthorityUtils.createAuthorityList("ROLE_USER"))));
		repository.save(session);
		Counting counting = new Counting(repository);
		// Spring Security's default filters that read the session, as Boot sets them up
		Filter[] filters = { new SessionRepositoryFilter<>(counting),
				new SecurityContextHolderFilter(new HttpSessionSecurityContextRepository()),
				new CsrfFilter(new HttpSessionCsrfTokenRepository()), new RequestCacheAwareFilter() };
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/me");
		request.setCookies(new Cookie("SESSION",
				Base64.getEncoder().encodeToString(session.getId().getBytes(StandardCharsets.UTF_8))));
		HttpServlet me = new HttpServlet() {

			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				Authentication user = SecurityContextHolder.getContext().getAuthentication();
				response.getWriter().print((user != null) ? user.getName() : "nobody");
				request.getSession().getAttribute("cart");
			}

		};
		MockHttpServletResponse response = new MockHttpServletResponse();
		new MockFilterChain(me, filters).doFilter(request, response);
		assertThat(response.getContentAsString()).isEqualTo("admin");
		assertThat(counting.finds).as("sessions read by one request").isEqualTo(1);
		assertThat(counting.changedSaves).as("sessions sent back by one request that changed nothing").isZero();
	}

	@Test
	void theReactiveRepositoryKeepsTheSameSessions() {
		ReactivePrimarySessionRepository reactive = new ReactivePrimarySessionRepository(this.sessions);
		PrimarySession session = reactive.createSession().block();
		session.setAttribute("user", "admin");
		reactive.save(session).block();
		assertThat(new PrimarySessionRepository(this.sessions).findById(session.getId()).<String>getAttribute("user"))
			.isEqualTo("admin");
		assertThat(reactive.findById(session.getId()).block().<String>getAttribute("user")).isEqualTo("admin");
		reactive.deleteById(session.getId()).block();
		assertThat(reactive.findById(session.getId()).blockOptional()).isEmpty();
	}

	@Test
	void aSessionWhoseClassesAreGoneIsDroppedWithAWarning(CapturedOutput output) {
		MapSession session = new MapSession();
		session.setAttribute("cart", new Cart(List.of("book")));
		byte[] bytes = this.sessions.serialize(session);
		ClassLoader withoutTheApp = new ClassLoader(null) {
		};
		PrimarySessions otherVersion = new PrimarySessions(() -> this.exchange, withoutTheApp, Duration.ofMinutes(20));
		assertThat(otherVersion.deserialize(session.getId(), bytes)).isNull();
		assertThat(output).contains("A session kept by the primary could not be read");
	}

	/** Counts the repository's work during a request. */
	final class Counting implements SessionRepository<PrimarySession> {

		private final PrimarySessionRepository delegate;

		int finds;

		int changedSaves;

		Counting(PrimarySessionRepository delegate) {
			this.delegate = delegate;
		}

		@Override
		public PrimarySession createSession() {
			return this.delegate.createSession();
		}

		@Override
		public void save(PrimarySession session) {
			if (!session.keptAs(PrimarySessionRepositoryTests.this.sessions.serialize(session.delegate()))) {
				this.changedSaves++;
			}
			this.delegate.save(session);
		}

		@Override
		public PrimarySession findById(String id) {
			this.finds++;
			return this.delegate.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.delegate.deleteById(id);
		}

	}

	record Cart(List<String> items) implements Serializable {
	}

}
