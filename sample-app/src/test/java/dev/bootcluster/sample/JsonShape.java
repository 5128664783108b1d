package dev.bootcluster.sample;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.spi.json.JsonProvider;

/**
 * Whether a JSON answer is what the README documents: every documented field is there
 * (more may be), arrays have the documented length, strings and booleans have the
 * documented values, and numbers are numbers (pids, ports and counts differ from run to
 * run). Stateless.
 */
final class JsonShape {

	private JsonShape() {
	}

	/** Fails with the path of the first difference. */
	static void assertMatches(String documented, String actual) {
		JsonProvider json = Configuration.defaultConfiguration().jsonProvider();
		Object got;
		try {
			got = json.parse(actual);
		}
		catch (RuntimeException ex) {
			throw new AssertionError("Not JSON: " + actual, ex);
		}
		String difference = difference("$", json.parse(documented), got);
		if (difference != null) {
			throw new AssertionError(difference + "\ndocumented: " + documented.strip() + "\nanswered:   " + actual);
		}
	}

	private static String difference(String path, Object expected, Object actual) {
		if (expected instanceof Map<?, ?> fields) {
			if (!(actual instanceof Map<?, ?> actualFields)) {
				return path + ": an object was documented, got " + actual;
			}
			for (Map.Entry<?, ?> field : fields.entrySet()) {
				if (!actualFields.containsKey(field.getKey())) {
					return path + "." + field.getKey() + ": missing";
				}
				String difference = difference(path + "." + field.getKey(), field.getValue(),
						actualFields.get(field.getKey()));
				if (difference != null) {
					return difference;
				}
			}
			return null;
		}
		if (expected instanceof List<?> elements) {
			if (!(actual instanceof List<?> actualElements) || actualElements.size() != elements.size()) {
				return path + ": " + elements.size() + " element(s) documented, got " + actual;
			}
			for (int i = 0; i < elements.size(); i++) {
				String difference = difference(path + "[" + i + "]", elements.get(i), actualElements.get(i));
				if (difference != null) {
					return difference;
				}
			}
			return null;
		}
		if (expected instanceof Number) {
			return (actual instanceof Number) ? null : path + ": a number was documented, got " + actual;
		}
		return Objects.equals(expected, actual) ? null : path + ": '" + expected + "' documented, got '" + actual + "'";
	}

}
