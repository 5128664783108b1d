package dev.bootcluster.actuate;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import org.jspecify.annotations.Nullable;

/**
 * A worker's meter names, or its meters of one name, as text that crosses the control
 * channel: a first line saying which ({@code names} or {@code meters}), then one line a
 * name, or one line a meter (name, description, base unit, tags, measurements), every
 * part URL-encoded. Read back, meters are registered as fixed snapshots in a registry of
 * the whole cluster, each tagged with its worker's id. Anything else (the Prometheus text
 * of a worker that predates queries) cannot be read.
 */
final class MeterSnapshots {

	private static final String NAMES = "names";

	private static final String METERS = "meters";

	private MeterSnapshots() {
	}

	static String names(Collection<String> names) {
		return NAMES + "\n" + names.stream().map(MeterSnapshots::encode).collect(Collectors.joining("\n"));
	}

	/**
	 * Registers in {@code registry} a meter without measurements for each name
	 * {@code text} carries, so that Boot's endpoint lists it.
	 * @throws IllegalArgumentException if it carries no names
	 */
	static void registerNames(String text, MeterRegistry registry) {
		lines(text, NAMES).stream()
			.map(MeterSnapshots::decode)
			.toList()
			.forEach((name) -> Meter.builder(name, Meter.Type.OTHER, List.of()).register(registry));
	}

	static String meters(Collection<Meter> meters) {
		StringBuilder text = new StringBuilder(METERS);
		for (Meter meter : meters) {
			Meter.Id id = meter.getId();
			text.append('\n')
				.append(String.join("\t", encode(id.getName()), encode(id.getDescription()), encode(id.getBaseUnit()),
						id.getTags()
							.stream()
							.map((tag) -> encode(tag.getKey()) + "=" + encode(tag.getValue()))
							.collect(Collectors.joining("&")),
						measurements(meter)));
		}
		return text.toString();
	}

	private static String measurements(Meter meter) {
		List<String> measurements = new ArrayList<>();
		for (Measurement measurement : meter.measure()) {
			measurements.add(measurement.getStatistic().name() + "=" + measurement.getValue());
		}
		return String.join("&", measurements);
	}

	/**
	 * Registers in {@code registry} the meters {@code text} carries, each tagged
	 * {@code worker=<worker>}; the cluster-wide meters only if {@code clusterWide}.
	 * @throws IllegalArgumentException if it carries no meters
	 */
	static void register(String text, int worker, boolean clusterWide, MeterRegistry registry) {
		List<Meter.Builder> builders = new ArrayList<>();
		for (String line : lines(text, METERS)) {
			String[] parts = line.split("\t", -1);
			if (parts.length != 5) {
				throw new IllegalArgumentException("Not a meter: '" + line + "'");
			}
			String name = decode(parts[0]);
			if (!clusterWide && ClusterMetrics.isClusterWide(name.replace('.', '_').replace('-', '_'))) {
				continue;
			}
			List<Tag> tags = new ArrayList<>();
			for (String tag : pairs(parts[3])) {
				String[] keyValue = tag.split("=", 2);
				tags.add(Tag.of(decode(keyValue[0]), decode(keyValue[1])));
			}
			tags.add(Tag.of("worker", Integer.toString(worker)));
			List<Measurement> measurements = new ArrayList<>();
			for (String measurement : pairs(parts[4])) {
				String[] statisticValue = measurement.split("=", 2);
				double value = Double.parseDouble(statisticValue[1]);
				measurements.add(new Measurement(() -> value, Statistic.valueOf(statisticValue[0])));
			}
			builders.add(Meter.builder(name, Meter.Type.OTHER, measurements)
				.tags(tags)
				.description(nullIfEmpty(decode(parts[1])))
				.baseUnit(nullIfEmpty(decode(parts[2]))));
		}
		// Only once all are read: a text that cannot be read adds nothing.
		builders.forEach((builder) -> builder.register(registry));
	}

	private static List<String> lines(String text, String kind) {
		List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
		if (!lines.remove(0).equals(kind)) {
			throw new IllegalArgumentException("Not " + kind);
		}
		lines.removeIf(String::isEmpty);
		return lines;
	}

	private static List<String> pairs(String text) {
		return text.isEmpty() ? List.of() : Arrays.asList(text.split("&"));
	}

	private static String encode(@Nullable String text) {
		return (text != null) ? URLEncoder.encode(text, StandardCharsets.UTF_8) : "";
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	private static @Nullable String nullIfEmpty(String text) {
		return text.isEmpty() ? null : text;
	}

}
