package dev.bootcluster.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;

/**
 * The live view: one HTML page (its CSS and script inline, nothing from elsewhere) that
 * polls {@code GET /actuator/cluster} for JSON and draws every worker. The page is the
 * same for everyone but for what the {@link Viewer} may do: the buttons, and the CSRF
 * token they send. Immutable, so any thread may render it.
 */
public class ClusterPage {

	private static final String TEMPLATE = "cluster-page.html";

	private final String template;

	private final boolean reloadAllowed;

	private final boolean scaleAllowed;

	/**
	 * @param reloadAllowed whether actuator maps the cluster's write operations (reload,
	 * restart)
	 * @param scaleAllowed whether it maps the {@code clusterscale} endpoint's
	 */
	public ClusterPage(boolean reloadAllowed, boolean scaleAllowed) {
		this.template = read(TEMPLATE);
		this.reloadAllowed = reloadAllowed;
		this.scaleAllowed = scaleAllowed;
	}

	/** The page as this viewer sees it. */
	public String render(Viewer viewer) {
		boolean mayAct = this.reloadAllowed && viewer.mayAct();
		Csrf csrf = viewer.csrf();
		return this.template.replace("{{mayReload}}", String.valueOf(mayAct))
			.replace("{{mayScale}}", String.valueOf(mayAct && this.scaleAllowed))
			.replace("{{csrfHeader}}", (csrf != null) ? HtmlUtils.htmlEscape(csrf.header()) : "")
			.replace("{{csrfToken}}", (csrf != null) ? HtmlUtils.htmlEscape(csrf.token()) : "");
	}

	private static String read(String name) {
		try (InputStream in = ClusterPage.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("The cluster's live view (" + name + ") is missing from the jar");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Who looks at the page: whether the application's security would let them
	 * {@code POST} to the cluster, and the CSRF token to send when it wants one.
	 */
	public record Viewer(boolean mayAct, @Nullable Csrf csrf) {

		/** Someone the page shows no buttons to. */
		public static final Viewer READ_ONLY = new Viewer(false, null);

	}

	/** A CSRF token and the request header that carries it. */
	public record Csrf(String header, String token) {
	}

}
