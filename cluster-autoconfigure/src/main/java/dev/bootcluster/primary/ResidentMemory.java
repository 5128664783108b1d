package dev.bootcluster.primary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process's resident set size, as the OS counts it: {@code VmRSS} in
 * {@code /proc/<pid>/status} on Linux, {@code ps -o rss=} elsewhere.
 */
final class ResidentMemory {

	private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

	private ResidentMemory() {
	}

	/** In bytes; 0 when it cannot be read (the process is gone, say). */
	static long of(long pid) {
		try {
			return PROC ? fromProc(pid) : fromPs(pid);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	private static long fromProc(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return kilobytes(line.substring(6).replace("kB", ""));
			}
		}
		return 0;
	}

	private static long fromPs(long pid) throws IOException {
		Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(pid)).start();
		try {
			String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			ps.waitFor(5, TimeUnit.SECONDS);
			return out.isBlank() ? 0 : kilobytes(out);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	private static long kilobytes(String value) {
		return Long.parseLong(value.trim()) * 1024;
	}

}
