package dev.bootcluster.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterPageTests {

	private static final ClusterPage.Csrf CSRF = new ClusterPage.Csrf("X-CSRF-TOKEN", "a\"b<c");

	@Test
	void aViewerWhoMayActGetsTheButtonsAndTheCsrfTokenEscaped() {
		String page = new ClusterPage(true, true).render(new ClusterPage.Viewer(true, CSRF));
		assertThat(page).contains("<meta name=\"cluster-may-reload\" content=\"true\">")
			.contains("<meta name=\"cluster-may-scale\" content=\"true\">")
			.contains("<meta name=\"cluster-csrf-header\" content=\"X-CSRF-TOKEN\">")
			.contains("<meta name=\"cluster-csrf-token\" content=\"a&quot;b&lt;c\">")
			.doesNotContain("{{");
	}

	@Test
	void noButtonsForAViewerWhoMayNotActNorWhereActuatorMapsNoPost() {
		assertThat(new ClusterPage(true, true).render(ClusterPage.Viewer.READ_ONLY))
			.contains("<meta name=\"cluster-may-reload\" content=\"false\">")
			.contains("<meta name=\"cluster-may-scale\" content=\"false\">");
		assertThat(new ClusterPage(false, true).render(new ClusterPage.Viewer(true, CSRF)))
			.contains("<meta name=\"cluster-may-reload\" content=\"false\">")
			.contains("<meta name=\"cluster-may-scale\" content=\"false\">");
	}

	@Test
	void scaleOnlyWhereTheScaleEndpointIsThere() {
		String page = new ClusterPage(true, false).render(new ClusterPage.Viewer(true, null));
		assertThat(page).contains("<meta name=\"cluster-may-reload\" content=\"true\">")
			.contains("<meta name=\"cluster-may-scale\" content=\"false\">")
			.contains("<meta name=\"cluster-csrf-token\" content=\"\">");
	}

	@Test
	void thePageLoadsNothingFromElsewhere() {
		String page = new ClusterPage(true, true).render(ClusterPage.Viewer.READ_ONLY);
		// The one absolute URL names SVG's namespace; it is not fetched.
		assertThat(page.replace("\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:")
			.doesNotContain("https:")
			.doesNotContain("//cdn")
			.doesNotContain(" src=")
			.doesNotContain("<link")
			.doesNotContain("url(");
	}

}
