package dev.bootcluster.sample;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bootcluster.test.ClusterCommand;
import dev.bootcluster.test.ClusterProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boot's form login (a session, a CSRF token) under round-robin, with sessions kept by
 * the primary: the login page from one worker, the login on another, then every request
 * authenticated on both workers; still logged in after a rolling reload and after a
 * worker's {@code kill -9}. On Tomcat, Jetty and WebFlux.
 */
class SessionsIT {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final Pattern SESSION = Pattern.compile("(?im)^Set-Cookie: SESSION=([^;\\s]+)");

	/** Two workers boot during a reload, on a slow, busy machine. */
	private static final Duration REPLACED_TIMEOUT = Duration.ofMinutes(4);

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty", "webflux" })
	void aLoginSurvivesRoundRobinReloadsAndCrashes(String server) throws Exception {
		ClusterCommand command = server.equals("tomcat") ? Sample.command()
				: ClusterCommand.jar(Path.of(System.getProperty("sample." + server + ".jar")));
		try (ClusterProcess cluster = command.workers(2).start("sessions-" + server)) {
			int port = cluster.awaitReady(2);
			assertThat(Http.get(port, "/me").status()).as("GET /me before logging in").isNotEqualTo(200);
			String cookie = logIn(port);
			assertLoggedInOnEveryWorker(port, cookie, "after logging in");

			List<Long> before = cluster.readyPids();
			if (server.equals("tomcat")) {
				assertThat(Http.postAsAdmin(port, "/actuator/cluster/reload").status()).isEqualTo(202);
			}
			else {
				// These samples have no cluster endpoint: a reload by signal, as pm2's.
				ClusterProcess.signal(cluster.pid(), "HUP");
			}
			await("both workers replaced").atMost(REPLACED_TIMEOUT)
				.until(() -> cluster.readyPids().size() >= before.size() + 2
						&& before.stream().noneMatch(ClusterProcess::isAlive));
			assertLoggedInOnEveryWorker(port, cookie, "after a rolling reload");

			long crashed = cluster.workerPid(1);
			ClusterProcess.signal(crashed, "KILL");
			await("worker 1 gone").atMost(Duration.ofSeconds(30)).until(() -> !ClusterProcess.isAlive(crashed));
			for (int i = 0; i < 10; i++) {
				Http.Response me = me(port, cookie);
				assertThat(me.status()).as("GET /me with worker 1 killed").isEqualTo(200);
				assertThat(me.<String>json("$.user")).isEqualTo("admin");
			}
			int ready = cluster.readyPids().size();
			await("worker 1 replaced").atMost(REPLACED_TIMEOUT).until(() -> cluster.readyPids().size() > ready);
			assertLoggedInOnEveryWorker(port, cookie, "after worker 1 was killed and replaced");
		}
	}

	/**
	 * Boot's login page, then its form posted with the page's CSRF token and session.
	 * @return the session cookie of the logged-in user
	 */
	private static String logIn(int port) throws Exception {
		Http.Response page = Http.get(port, "/login");
		assertThat(page.status()).as("GET /login").isEqualTo(200);
		Matcher csrf = CSRF.matcher(page.body());
		assertThat(csrf.find()).as("a CSRF token in the login page").isTrue();
		String cookie = "SESSION=" + session(page);
		String form = "username=admin&password=change-me&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		Http.Response login = Http.request(port, "POST", "/login",
				"Cookie: " + cookie + "\r\nContent-Type: application/x-www-form-urlencoded\r\n", form);
		assertThat(login.status()).as("POST /login: " + login.headers()).isEqualTo(302);
		assertThat(login.headers()).as("where the login sends the user").doesNotContain("error");
		// Spring Security changes the session id at login.
		return "SESSION=" + session(login);
	}

	private static String session(Http.Response response) {
		Matcher session = SESSION.matcher(response.headers());
		assertThat(session.find()).as("a session cookie in " + response.headers()).isTrue();
		return session.group(1);
	}

	private static void assertLoggedInOnEveryWorker(int port, String cookie, String when) throws Exception {
		Set<String> workers = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			Http.Response me = me(port, cookie);
			assertThat(me.status()).as("GET /me " + when).isEqualTo(200);
			assertThat(me.<String>json("$.user")).isEqualTo("admin");
			workers.add(me.json("$.worker"));
		}
		assertThat(workers).as("workers that knew the user " + when).containsExactlyInAnyOrder("1", "2");
	}

	private static Http.Response me(int port, String cookie) throws Exception {
		return Http.request(port, "GET", "/me", "Cookie: " + cookie + "\r\n");
	}

}
