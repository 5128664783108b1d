package dev.bootcluster.channel;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NativeHeapTests {

	@Test
	@EnabledOnOs(OS.LINUX)
	void theJvmTrimsItsNativeHeapWhenAsked() {
		// the JVMs this project supports on glibc: 17.0.9 and later, 21, 25
		assertThat(NativeHeap.trim()).startsWith("Trim native heap: RSS+Swap: ");
	}

	@Test
	void trimmingPeriodicallyRunsOnOneDaemonThread() {
		NativeHeap.trimPeriodically();
		NativeHeap.trimPeriodically();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getName().equals("cluster-native-heap"))
				.count() == 1);
		assertThat(Thread.getAllStackTraces().keySet())
			.filteredOn((thread) -> thread.getName().equals("cluster-native-heap"))
			.allMatch(Thread::isDaemon);
	}

}
