package dev.bootcluster.primary;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.bootcluster.channel.NativeHeap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives back to the OS the heap the primary needed only to start. The JVM sized its heap
 * for a whole application, and Boot's early start-up filled tens of MB of it; the primary
 * then lives on a few MB. Telling the JVM to keep little free heap (the manageable flags
 * {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio}) and collecting once shrinks the
 * committed heap. G1 grows it again as it sees fit, and its young collections then touch
 * ever more of it, so with G1 a periodic concurrent cycle (JEP 346's
 * {@code G1PeriodicGCInterval}, also manageable) gives it back when the primary has been
 * quiet for {@link #PERIODIC_GC_MILLIS}: a few milliseconds of pause for a heap of a few
 * MB. Then it gives back the native memory start-up freed, and what is freed later every
 * half minute ({@link NativeHeap}).
 */
final class Footprint {

	private static final Log logger = LogFactory.getLog(Footprint.class);

	private static final String PERIODIC_GC_MILLIS = "30000";

	private Footprint() {
	}

	static void shrink() {
		try {
			HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			// Min first: the JVM refuses a Max below the current Min.
			hotspot.setVMOption("MinHeapFreeRatio", "10");
			hotspot.setVMOption("MaxHeapFreeRatio", "20");
			if (ManagementFactory.getGarbageCollectorMXBeans()
				.stream()
				.anyMatch((collector) -> collector.getName().startsWith("G1"))) {
				hotspot.setVMOption("G1PeriodicGCInterval", PERIODIC_GC_MILLIS);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not lower the primary's free heap ratios", ex);
		}
		System.gc();
		NativeHeap.trimPeriodically();
	}

}
