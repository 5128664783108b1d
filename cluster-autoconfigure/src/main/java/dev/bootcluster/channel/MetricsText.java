package dev.bootcluster.channel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A worker's metrics as they cross the control channel in {@link Message.Type#METRICS}
 * messages: the scrape text gzipped (it shrinks about tenfold, so that a whole cluster's
 * fits the channel's send queue), in Base64 (no tab, no newline) and cut into parts well
 * under the channel's longest line.
 */
public final class MetricsText {

	/** Characters of Base64 per part. */
	static final int PART_LENGTH = 32 * 1024;

	private MetricsText() {
	}

	/** The parts that carry {@code text}, in order; at least one. */
	public static List<String> parts(String text) {
		ByteArrayOutputStream zipped = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String encoded = Base64.getEncoder().encodeToString(zipped.toByteArray());
		List<String> parts = new ArrayList<>();
		for (int start = 0; start < encoded.length(); start += PART_LENGTH) {
			parts.add(encoded.substring(start, Math.min(encoded.length(), start + PART_LENGTH)));
		}
		return parts;
	}

	/**
	 * The text that {@code parts} carry.
	 * @throws IllegalArgumentException if they are not the parts of a text
	 */
	public static String text(List<String> parts) {
		byte[] zipped = Base64.getDecoder().decode(String.join("", parts));
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Not the parts of a metrics text: " + ex.getMessage(), ex);
		}
	}

}
