package dev.bootcluster.primary;

/**
 * The arbiter's clock: monotonic nanoseconds, as {@link System#nanoTime()} gives them. A
 * test drives the arbiter with a fake one, in milliseconds.
 */
@FunctionalInterface
interface Ticker {

	Ticker SYSTEM = System::nanoTime;

	long nanos();

}
