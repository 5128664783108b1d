package dev.bootcluster.actuate;

import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * What {@code GET /actuator/cluster} answers, by the request's {@code Accept} header:
 * JSON for scripts (actuator's own type for {@code *}{@code /*}), the live view for a
 * browser. Actuator picks the last constant any accepted type matches, so {@link #HTML}
 * comes last: a browser accepts {@code text/html} and {@code *}{@code /*} at once.
 */
public enum ClusterFormat implements Producible<ClusterFormat> {

	/** Actuator's JSON, the answer to {@code *}{@code /*} (curl). */
	ACTUATOR_JSON("application/vnd.spring-boot.actuator.v3+json") {
		@Override
		public boolean isDefault() {
			return true;
		}
	},

	/** Plain JSON, what the live view itself asks for. */
	JSON(MimeTypeUtils.APPLICATION_JSON_VALUE),

	/** The live view, {@link ClusterPage}. */
	HTML("text/html;charset=UTF-8");

	private final MimeType mimeType;

	ClusterFormat(String mimeType) {
		this.mimeType = MimeType.valueOf(mimeType);
	}

	@Override
	public MimeType getProducedMimeType() {
		return this.mimeType;
	}

}
