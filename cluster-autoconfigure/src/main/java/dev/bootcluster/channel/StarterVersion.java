package dev.bootcluster.channel;

import java.util.Collection;
import java.util.Objects;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The version of Boot Cluster's starter a process runs: the
 * {@code Implementation-Version} of the cluster-autoconfigure jar's manifest. Workers
 * tell it to the primary (the last field of {@code READY}, which an older primary
 * ignores), so that a reload to a new starter version shows as skew in the status.
 */
public final class StarterVersion {

	private StarterVersion() {
	}

	/** This process's version; {@code null} when it runs from classes, not the jar. */
	public static @Nullable String current() {
		return StarterVersion.class.getPackage().getImplementationVersion();
	}

	/**
	 * Whether {@code primary} and {@code workers} (the versions they reported) are not
	 * all the same version; an unknown one ({@code null}: from classes, or a worker that
	 * predates reporting it) counts as none.
	 */
	public static boolean skewed(@Nullable String primary, Collection<? extends @Nullable String> workers) {
		return Stream.concat(Stream.of(primary), workers.stream()).filter(Objects::nonNull).distinct().count() > 1;
	}

}
