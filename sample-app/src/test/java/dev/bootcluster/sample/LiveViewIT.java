package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bootcluster.test.ClusterProcess;
import dev.bootcluster.test.ClusterState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view in a real headless Chromium, on one cluster of two workers: the page
 * lists the workers, follows a worker killed with SIGKILL without being reloaded, and
 * runs a reload from its button, for a logged-in ADMIN only. Leaves a screenshot in
 * {@code target/liveview.png} (the README's is a copy).
 */
class LiveViewIT {

	/** Set in the page once loaded: gone if the page were ever reloaded. */
	private static final String MARKER = "window.liveViewMarker";

	/** The page polls every second: it shows what the primary knows a few polls later. */
	private static final Duration VIEW_LAG = Duration.ofSeconds(15);

	private static final String ROWS = "JSON.stringify(Array.from(document.querySelectorAll('#workers tr')).map((r) => "
			+ "({id: +r.dataset.worker, pid: +r.querySelector('.pid').textContent, "
			+ "state: r.querySelector('.state').textContent, restarts: +r.querySelector('.restarts').textContent, "
			+ "lastExit: r.querySelector('.exit').textContent})))";

	private static ClusterProcess cluster;

	private static Chromium chromium;

	private static String page;

	@BeforeAll
	static void startClusterAndBrowser() throws IOException {
		cluster = Sample.command().workers(2).start("live-view");
		try {
			page = "http://127.0.0.1:" + cluster.awaitReady(2) + "/actuator/cluster";
			chromium = Chromium.start();
		}
		catch (RuntimeException | IOException ex) {
			cluster.close();
			throw ex;
		}
	}

	@AfterAll
	static void stop() {
		try {
			if (chromium != null) {
				chromium.close();
			}
		}
		finally {
			cluster.close();
		}
	}

	@Test
	void anyoneSeesTheWorkersButNoButtons() throws IOException {
		chromium.clearCookies();
		chromium.navigate(page);
		awaitRows("both workers READY", List.copyOf(cluster.state().pids("READY")));
		assertThat(chromium.evaluate("document.getElementById('controls') === null").asBoolean())
			.as("no reload or scale for a user who may not POST")
			.isTrue();
		assertThat(chromium.evaluate("document.querySelectorAll('button.restart').length").asInt()).isZero();
	}

	@Test
	void anAdminWatchesAKilledWorkerComeBackAndReloadsFromThePage() throws Exception {
		logIn();
		chromium.navigate(page);
		chromium.awaitTrue("the reload button", "document.getElementById('reload') !== null", VIEW_LAG);
		chromium.evaluate(MARKER + " = 'never reloaded'");
		ClusterState before = cluster.state();
		awaitRows("both workers READY", List.copyOf(before.pids("READY")));
		int restartsBefore = before.workers(1).get(0).restarts();

		long victim = before.readyPid(1);
		ProcessHandle.of(victim).orElseThrow().destroyForcibly();
		ClusterState replaced = cluster.awaitState("worker 1 replaced",
				(now) -> now.readyPid(1) > 0 && now.readyPid(1) != victim, ClusterProcess.READY_TIMEOUT);
		long replacement = replaced.readyPid(1);
		chromium.awaitTrue(
				"worker 1 shown restarted, pid " + replacement, ROWS + ".includes('\"id\":1,\"pid\":" + replacement
						+ ",\"state\":\"READY\",\"restarts\":" + (restartsBefore + 1) + ",\"lastExit\":\"SIGKILL')",
				VIEW_LAG);
		assertNeverReloaded();

		chromium.evaluate("document.getElementById('reload').click()");
		chromium.awaitTrue("the reload started from the page shown RUNNING or done",
				"document.getElementById('reload-view').dataset.reload !== undefined", VIEW_LAG);
		String reloadId = chromium.evaluate("document.getElementById('reload-view').dataset.reload").asString();
		ClusterState.Reload reload = cluster.awaitReloadEnd(reloadId, ClusterProcess.READY_TIMEOUT.multipliedBy(2));
		assertThat(reload.state()).isEqualTo("SUCCEEDED");
		assertThat(reload.trigger()).isEqualTo("POST /actuator/cluster/reload");
		chromium.awaitTrue("the reload shown SUCCEEDED, 2/2 replaced",
				"document.getElementById('reload-state').textContent.startsWith('" + reloadId
						+ " SUCCEEDED: 2/2 replaced')",
				VIEW_LAG);
		awaitRows("the new workers READY", List.copyOf(cluster.state().pids("READY")));
		assertNeverReloaded();
		chromium.screenshot(Path.of("target/liveview.png"));
	}

	/** Boot's login form, as a person fills it in. */
	private static void logIn() {
		chromium.clearCookies();
		chromium.navigate(page.replace("/actuator/cluster", "/login"));
		chromium.evaluate("document.getElementById('username').value = 'admin';"
				+ "document.getElementById('password').value = 'change-me';" + "document.forms[0].submit()");
		chromium.awaitTrue("logged in", "!location.pathname.startsWith('/login') && document.readyState === 'complete'",
				VIEW_LAG);
	}

	private static void awaitRows(String description, List<Long> readyPids) {
		List<String> expected = new ArrayList<>();
		readyPids.forEach((pid) -> expected.add("\"pid\":" + pid + ",\"state\":\"READY\""));
		StringBuilder condition = new StringBuilder("(() => { const rows = " + ROWS + "; return ");
		expected.forEach((row) -> condition.append("rows.includes('").append(row).append("') && "));
		condition.append("document.querySelectorAll('#workers tr').length === ")
			.append(readyPids.size())
			.append("; })()");
		chromium.awaitTrue(description + " " + readyPids, condition.toString(), VIEW_LAG);
	}

	private static void assertNeverReloaded() {
		JsonNode marker = chromium.evaluate(MARKER);
		assertThat(marker.asString()).as("the page was never reloaded").isEqualTo("never reloaded");
	}

}
