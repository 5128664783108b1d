package dev.bootcluster.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's quick start, as a user reads it: each fenced block after a
 * {@code <!-- quick-start: NAME -->} marker is a snippet, kept as the user would paste
 * it. A {@code request} (one {@code curl} line) is followed by its documented
 * {@code answer} (JSON); the status is the one the text between them names in backquotes
 * ({@code answers `202` …}). Anything malformed fails with what is wrong, so a README
 * edit cannot leave a snippet untested. Immutable once read.
 */
final class QuickStart {

	private static final Pattern MARKER = Pattern.compile("^<!-- quick-start: (\\S+) -->$");

	private static final Pattern FENCE = Pattern.compile("^```(\\S*)$");

	private static final Pattern STATUS = Pattern.compile("`(\\d{3})`");

	private final List<Snippet> snippets;

	private QuickStart(List<Snippet> snippets) {
		this.snippets = snippets;
	}

	static QuickStart read(Path readme) throws IOException {
		List<String> lines = Files.readAllLines(readme);
		List<Snippet> snippets = new ArrayList<>();
		StringBuilder prose = new StringBuilder();
		for (int i = 0; i < lines.size(); i++) {
			Matcher marker = MARKER.matcher(lines.get(i));
			if (!marker.matches()) {
				prose.append(lines.get(i)).append('\n');
				continue;
			}
			int open = i + 1;
			if (open >= lines.size() || !FENCE.matcher(lines.get(open)).matches()) {
				throw new AssertionError("README line " + (i + 1) + ": no fenced block right after " + lines.get(i));
			}
			int close = open + 1;
			while (close < lines.size() && !lines.get(close).equals("```")) {
				close++;
			}
			if (close == lines.size()) {
				throw new AssertionError("README line " + (open + 1) + ": the block never ends");
			}
			String text = String.join("\n", lines.subList(open + 1, close)) + "\n";
			snippets.add(new Snippet(marker.group(1), text, prose.toString()));
			prose.setLength(0);
			i = close;
		}
		return new QuickStart(List.copyOf(snippets));
	}

	/** The one snippet named {@code name}, as it is pasted. */
	String snippet(String name) {
		List<Snippet> named = this.snippets.stream().filter((snippet) -> snippet.name().equals(name)).toList();
		if (named.size() != 1) {
			throw new AssertionError("README: " + named.size() + " quick-start snippet(s) named '" + name
					+ "', expected one; found " + this.snippets.stream().map(Snippet::name).toList());
		}
		return named.get(0).text();
	}

	/** The lines of snippet {@code name}: one shell command each. */
	List<String> commands(String name) {
		return snippet(name).lines().filter((line) -> !line.isBlank()).toList();
	}

	/**
	 * Each {@code request} with the {@code answer} documented right after it, in order.
	 */
	List<Exchange> exchanges() {
		List<Exchange> exchanges = new ArrayList<>();
		for (int i = 0; i < this.snippets.size(); i++) {
			Snippet request = this.snippets.get(i);
			if (!request.name().equals("request")) {
				continue;
			}
			if (i + 1 == this.snippets.size() || !this.snippets.get(i + 1).name().equals("answer")) {
				throw new AssertionError("README: quick-start request " + request.text().strip() + " has no answer");
			}
			Snippet answer = this.snippets.get(i + 1);
			Matcher status = STATUS.matcher(answer.proseBefore());
			if (!status.find()) {
				throw new AssertionError("README: the text before the answer to " + request.text().strip()
						+ " names no status such as `200`: " + answer.proseBefore().strip());
			}
			exchanges.add(new Exchange(request.text().strip(), Integer.parseInt(status.group(1)), answer.text()));
		}
		if (exchanges.isEmpty()) {
			throw new AssertionError("README: the quick start has no request");
		}
		return exchanges;
	}

	/** A fenced block, and the README text between it and the previous one. */
	private record Snippet(String name, String text, String proseBefore) {

	}

	/** A {@code curl} line, the status and the JSON the README says it answers. */
	record Exchange(String request, int status, String answer) {

	}

}
