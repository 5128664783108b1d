package dev.bootcluster.autoconfigure;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.TypeDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the annotation processor built (what an IDE shows) against
 * {@link ClusterProperties} itself and against the README's properties table: every
 * property described in one sentence, every default the code has in the metadata, and the
 * README naming the same properties with the same defaults.
 */
class ClusterPropertiesMetadataTests {

	/** A README table row: {@code | `cluster.x` | default | what it does |}. */
	private static final Pattern README_ROW = Pattern.compile("^\\| `(cluster\\.[a-z.-]+)` \\| ([^|]*) \\|.*$",
			Pattern.MULTILINE);

	/** The sentence after the table that names the properties a worker is given. */
	private static final Pattern README_SET_FOR_YOU = Pattern
		.compile("Set for you in each worker[^:]*:((?:\\s*`[^`]+`,?)+)");

	private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");

	private static Map<String, Map<String, Object>> metadata;

	private static String readme;

	@BeforeAll
	static void read() throws IOException, URISyntaxException {
		// The classes directory this module was compiled to, where the processor wrote
		// its file.
		Path classes = Path.of(ClusterProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path json = classes.resolve("META-INF/spring-configuration-metadata.json");
		assertThat(json).as("built by spring-boot-configuration-processor").exists();
		List<Map<String, Object>> properties = JsonPath.read(Files.readString(json), "$.properties[*]");
		metadata = new TreeMap<>();
		for (Map<String, Object> entry : properties) {
			String name = (String) entry.get("name");
			if (name.startsWith("cluster.")) {
				metadata.put(name, entry);
			}
		}
		readme = Files.readString(classes.resolve("../../../README.md").normalize());
	}

	@Test
	void everyPropertyOfTheCodeIsInTheMetadata() {
		assertThat(metadata).containsKeys("cluster.workers", "cluster.worker.shutdown-timeout",
				"cluster.restart.window", "cluster.front-door.internal-hop", "cluster.worker.id");
	}

	@Test
	void everyPropertyIsDescribedInOneSentence() {
		metadata.forEach((name, entry) -> {
			String description = (String) entry.get("description");
			assertThat(description).as(name)
				.isNotBlank()
				.matches("[A-Z].*\\.")
				.doesNotContain(". ")
				.doesNotContain("\n");
		});
	}

	@Test
	void everyDefaultOfTheCodeIsInTheMetadata() {
		BeanWrapperImpl defaults = new BeanWrapperImpl(new ClusterProperties());
		metadata.forEach((name, entry) -> {
			String path = beanPath(name);
			if (!defaults.isReadableProperty(path)) {
				return; // set by the primary in workers (additional metadata), not a
						// field
			}
			Object value = defaults.getPropertyValue(path);
			Object declared = entry.get("defaultValue");
			if (value == null) {
				assertThat(declared).as(name + " has no default in the code").isNull();
			}
			else {
				assertThat(declared).as(name + "'s default").isNotNull();
				Object converted = ApplicationConversionService.getSharedInstance()
					.convert(declared.toString(), TypeDescriptor.valueOf(String.class),
							defaults.getPropertyTypeDescriptor(path));
				assertThat(converted).as(name + "'s default").isEqualTo(value);
			}
		});
	}

	@Test
	void theReadmeNamesTheSamePropertiesAsTheMetadata() {
		Map<String, String> table = readmeDefaults();
		Matcher setForYou = README_SET_FOR_YOU.matcher(readme);
		assertThat(setForYou.find()).as("README: 'Set for you in each worker ...'").isTrue();
		Map<String, String> named = new LinkedHashMap<>(table);
		BACKTICKED.matcher(setForYou.group(1)).results().forEach((name) -> named.put(name.group(1), null));
		assertThat(named.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
	}

	/**
	 * A default in backticks in the README is the metadata's; prose ('unset', 'the
	 * shutdown timeout') stands for a default computed at run time, absent from the
	 * metadata; 'empty' for an empty string.
	 */
	@Test
	void theReadmeShowsTheMetadatasDefaults() {
		readmeDefaults().forEach((name, cell) -> {
			Object declared = metadata.containsKey(name) ? metadata.get(name).get("defaultValue") : null;
			Matcher literal = Pattern.compile("^`([^`]*)`").matcher(cell);
			if (literal.find()) {
				assertThat(declared).as("README default of " + name).isNotNull();
				assertThat(literal.group(1)).as("README default of " + name).isEqualTo(declared.toString());
			}
			else if (cell.equals("empty")) {
				assertThat(declared).as("README default of " + name).isEqualTo("");
			}
			else {
				assertThat(declared).as("README shows '" + cell + "' as the default of " + name).isNull();
			}
		});
	}

	private static Map<String, String> readmeDefaults() {
		Map<String, String> defaults = new LinkedHashMap<>();
		README_ROW.matcher(readme).results().forEach((row) -> defaults.put(row.group(1), row.group(2).trim()));
		assertThat(defaults).as("README properties table").isNotEmpty();
		return defaults;
	}

	/** {@code cluster.front-door.max-header-size} is {@code frontDoor.maxHeaderSize}. */
	private static String beanPath(String name) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : name.substring("cluster.".length()).toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

}
