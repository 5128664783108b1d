package dev.bootcluster.primary;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Gives back to the OS the heap the primary needed only to start. The JVM sized its heap
 * for a whole application, and Boot's early start-up filled tens of MB of it; the
 * primary then lives on a few MB. Telling the JVM to keep little free heap (the
 * manageable flags {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio}) and collecting
 * once shrinks the committed heap; it stays small because the primary allocates little.
 */
final class Footprint {

	private static final Log logger = LogFactory.getLog(Footprint.class);

	private Footprint() {
	}

	static void shrink() {
		try {
			HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			// Min first: the JVM refuses a Max below the current Min.
			hotspot.setVMOption("MinHeapFreeRatio", "10");
			hotspot.setVMOption("MaxHeapFreeRatio", "20");
		}
		catch (RuntimeException ex) {
			logger.debug("Could not lower the primary's free heap ratios", ex);
		}
		System.gc();
	}

}
