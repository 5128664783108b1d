package dev.bootcluster.primary;

import java.nio.file.Path;
import java.util.List;

/**
 * The kind of class-data archive a JVM can be trained to write and start from: an AOT
 * cache (JEP 483, JDK 25 and later) or a dynamic CDS archive (JDK 17 to 24). Stateless.
 */
enum ArchiveFormat {

	/** {@code -XX:AOTCacheOutput} at training, {@code -XX:AOTCache} to use it. */
	AOT_CACHE("AOT cache", "app.aot", "-XX:AOTCacheOutput=", "-XX:AOTCache=", "-XX:AOTMode=on"),

	/**
	 * {@code -XX:ArchiveClassesAtExit} at training, {@code -XX:SharedArchiveFile} to use
	 * it.
	 */
	DYNAMIC_CDS("CDS archive", "app.jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", "-Xshare:on");

	private final String description;

	private final String fileName;

	private final String trainOption;

	private final String useOption;

	private final String requireOption;

	ArchiveFormat(String description, String fileName, String trainOption, String useOption, String requireOption) {
		this.description = description;
		this.fileName = fileName;
		this.trainOption = trainOption;
		this.useOption = useOption;
		this.requireOption = requireOption;
	}

	/** The format a JVM of this feature release writes best. */
	static ArchiveFormat forJava(int feature) {
		return (feature >= 25) ? AOT_CACHE : DYNAMIC_CDS;
	}

	String description() {
		return this.description;
	}

	String fileName() {
		return this.fileName;
	}

	/** The option that makes a run write the archive to {@code file} as it exits. */
	String training(Path file) {
		return this.trainOption + file;
	}

	/** The option that makes a JVM start from the archive. */
	String use(Path archive) {
		return this.useOption + archive;
	}

	/**
	 * The options that make a JVM refuse to start, rather than start without the archive,
	 * when it cannot use it or when its checksums do not match.
	 */
	List<String> required() {
		return List.of(this.requireOption, "-XX:+VerifySharedSpaces");
	}

}
