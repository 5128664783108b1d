package dev.bootcluster.channel;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Gives back to the OS the native memory a JVM freed: the C allocator (glibc) keeps what
 * the JVM allocated and freed (class parsing at start-up, the JIT's arenas as it
 * compiles) for reuse, tens of MB that a long-running process rarely needs again. As
 * {@code jcmd <pid> System.trim_native_heap} would (JDK 17.0.9 and later; a JVM without
 * it, or another C library, keeps its memory), and as {@code -XX:TrimNativeHeapInterval}
 * does on JDK 21 and later, but without a JVM option the primary would have to pass and
 * the JVM could refuse.
 * <p>
 * Threads: {@link #trim} runs on the caller's; the periodic trim on a daemon thread of
 * its own ({@code cluster-native-heap}).
 */
public final class NativeHeap {

	private static final Log logger = LogFactory.getLog(NativeHeap.class);

	/** Each trim takes about a millisecond; memory freed meanwhile waits this long. */
	private static final long PERIOD_SECONDS = 30;

	private static final AtomicBoolean periodic = new AtomicBoolean();

	private NativeHeap() {
	}

	/**
	 * Trims now, on the calling thread.
	 * @return what the JVM says it gave back, or {@code null} when it could not trim
	 */
	public static @Nullable String trim() {
		try {
			Object result = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			logger.debug(result);
			return String.valueOf(result);
		}
		catch (JMException | RuntimeException ex) {
			logger.debug("Could not trim the native heap", ex);
			return null;
		}
	}

	/** Trims now and every {@value #PERIOD_SECONDS} seconds from now on; once a JVM. */
	public static void trimPeriodically() {
		if (periodic.compareAndSet(false, true)) {
			ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "cluster-native-heap");
				thread.setDaemon(true);
				return thread;
			});
			trimmer.scheduleWithFixedDelay(NativeHeap::trim, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
		}
	}

}
