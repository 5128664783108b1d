package dev.bootcluster.actuate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Merges the workers' scrape texts (Prometheus text format 0.0.4) into one valid text:
 * one HELP and TYPE per family, every sample of a family together, each sample tagged
 * {@code worker="<id>"}, except the families that are cluster-wide (the same in every
 * worker), which are taken once, from the first text, untagged.
 * <p>
 * Threads: one instance per merge, on the scraping thread.
 */
final class PrometheusTextMerge {

	private final Predicate<String> clusterWide;

	private final Map<String, Family> families = new LinkedHashMap<>();

	private boolean first = true;

	/**
	 * @param clusterWide whether a family, by name, is cluster-wide
	 */
	PrometheusTextMerge(Predicate<String> clusterWide) {
		this.clusterWide = clusterWide;
	}

	/** Adds one worker's text; the first added gives the cluster-wide families. */
	PrometheusTextMerge add(int workerId, String text) {
		String label = "worker=\"" + workerId + "\"";
		Family family = null;
		for (String line : text.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			if (line.startsWith("#")) {
				String[] words = line.split(" ", 4);
				if (words.length >= 3 && (words[1].equals("HELP") || words[1].equals("TYPE"))) {
					family = this.families.computeIfAbsent(words[2], Family::new);
					family.header(words[1], line);
				}
				continue;
			}
			String sample = line;
			String name = sampleName(sample);
			if (family == null || !name.startsWith(family.name)) {
				family = this.families.computeIfAbsent(name, Family::new);
			}
			if (this.clusterWide.test(family.name)) {
				if (this.first) {
					family.sample(sample);
				}
			}
			else {
				family.sample(tagged(sample, name, label));
			}
		}
		this.first = false;
		return this;
	}

	String text() {
		StringBuilder text = new StringBuilder();
		for (Family family : this.families.values()) {
			if (family.samples.isEmpty()) {
				continue;
			}
			family.headers.values().forEach((header) -> text.append(header).append('\n'));
			family.samples.forEach((sample) -> text.append(sample).append('\n'));
		}
		return text.toString();
	}

	private static String sampleName(String sample) {
		int end = 0;
		while (end < sample.length() && sample.charAt(end) != '{' && sample.charAt(end) != ' ') {
			end++;
		}
		return sample.substring(0, end);
	}

	private static String tagged(String sample, String name, String label) {
		String rest = sample.substring(name.length());
		if (rest.startsWith("{}")) {
			return name + "{" + label + "}" + rest.substring(2);
		}
		if (rest.startsWith("{")) {
			return name + "{" + label + "," + rest.substring(1);
		}
		return name + "{" + label + "}" + rest;
	}

	/** One metric family: its HELP and TYPE lines, then its samples. */
	private static final class Family {

		private final String name;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<String> samples = new ArrayList<>();

		/** The series (sample name and labels) already in: a series appears once. */
		private final Set<String> series = new HashSet<>();

		Family(String name) {
			this.name = name;
		}

		void header(String kind, String line) {
			this.headers.putIfAbsent(kind, line);
		}

		void sample(String sample) {
			int labelsEnd = sample.lastIndexOf('}');
			String key = (labelsEnd >= 0) ? sample.substring(0, labelsEnd + 1) : sample.split(" ", 2)[0];
			if (this.series.add(key)) {
				this.samples.add(sample);
			}
		}

	}

}
