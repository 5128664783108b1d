package dev.bootcluster;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the README and under {@code docs/} leads somewhere: to a file
 * that exists, and, for a {@code #fragment}, to a heading of the file it names (as GitHub
 * makes its anchors).
 */
class DocumentationLinksTests {

	/**
	 * {@code [text](target)} and {@code ![alt](target)}, the target up to a space or ')'.
	 */
	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*$", Pattern.MULTILINE);

	private static final Pattern FENCE = Pattern.compile("^```.*?^```", Pattern.MULTILINE | Pattern.DOTALL);

	@Test
	void everyRelativeLinkResolves() throws Exception {
		Path root = projectRoot();
		List<String> broken = new ArrayList<>();
		List<Path> documents = documents(root);
		assertThat(documents).contains(root.resolve("README.md"));
		for (Path document : documents) {
			String text = FENCE.matcher(Files.readString(document)).replaceAll("");
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = (hash >= 0) ? target.substring(0, hash) : target;
				Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
				if (!Files.exists(resolved)) {
					broken.add(root.relativize(document) + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && resolved.toString().endsWith(".md")
						&& !anchors(resolved).contains(target.substring(hash + 1))) {
					broken.add(root.relativize(document) + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	private static List<Path> documents(Path root) throws IOException {
		List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
		Path docs = root.resolve("docs");
		if (Files.isDirectory(docs)) {
			try (Stream<Path> files = Files.walk(docs)) {
				files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(documents::add);
			}
		}
		return documents;
	}

	/** The anchors GitHub gives the headings of {@code document}. */
	private static Set<String> anchors(Path document) throws IOException {
		String text = FENCE.matcher(Files.readString(document)).replaceAll("");
		return HEADING.matcher(text)
			.results()
			.map((heading) -> heading.group(1)
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^\\p{L}\\p{N} _-]", "")
				.replace(' ', '-'))
			.collect(Collectors.toSet());
	}

	/**
	 * This module's classes are in {@code <root>/cluster-autoconfigure/target/classes}.
	 */
	private static Path projectRoot() throws URISyntaxException {
		Path classes = Path
			.of(DocumentationLinksTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		return classes.resolve("../../..").normalize();
	}

}
