package dev.bootcluster.primary;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a version's boot cache is stale: the jar is another version and no worker runs
 * from it.
 */
class BootCacheVersionsTests {

	private static final Path V1 = Path.of("/cache/app-v1");

	private static final FileStamp JAR_V1 = new FileStamp(100, 1_000, "inode-1");

	private static final FileStamp JAR_V2 = new FileStamp(120, 2_000, "inode-2");

	private final BootCacheVersions versions = new BootCacheVersions();

	@Test
	void anOldVersionIsStaleOnceNoWorkerRunsFromIt() {
		assertThat(this.versions.known(V1, JAR_V1)).isTrue();
		this.versions.launched(V1);
		this.versions.launched(V1);
		assertThat(this.versions.removeStale(JAR_V2)).as("two workers run from it").isEmpty();
		this.versions.exited(V1);
		assertThat(this.versions.removeStale(JAR_V2)).as("one worker runs from it").isEmpty();
		this.versions.exited(V1);
		assertThat(this.versions.removeStale(JAR_V2)).containsExactly(V1);
		assertThat(this.versions.removeStale(JAR_V2)).as("handed over once").isEmpty();
	}

	@Test
	void theJarsVersionIsNeverStale() {
		this.versions.known(V1, JAR_V1);
		assertThat(this.versions.known(V1, JAR_V1)).as("known once").isFalse();
		assertThat(this.versions.removeStale(JAR_V1)).isEmpty();
		assertThat(this.versions.removeStale(null)).as("a jar that cannot be read").isEmpty();
	}

	@Test
	void aVersionTrainedButNeverStartedFromIsStaleOnceTheJarIsAnother() {
		this.versions.known(V1, JAR_V1);
		assertThat(this.versions.removeStale(JAR_V2)).containsExactly(V1);
	}

}
