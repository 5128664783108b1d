package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The ways a parser test cuts a message into reads: whole, in two at every byte, one byte
 * at a time.
 */
final class ByteSplits {

	private ByteSplits() {
	}

	/**
	 * Each way as the offsets where a read ends (the last read ends at {@code length}).
	 */
	static List<int[]> of(int length) {
		List<int[]> splits = new ArrayList<>();
		splits.add(new int[0]);
		for (int split = 1; split < length; split++) {
			splits.add(new int[] { split });
		}
		int[] everyByte = new int[Math.max(0, length - 1)];
		for (int i = 0; i < everyByte.length; i++) {
			everyByte[i] = i + 1;
		}
		splits.add(everyByte);
		return splits;
	}

	/**
	 * The reads themselves, each in a direct buffer of its own as a socket read would
	 * fill.
	 */
	static List<ByteBuffer> reads(byte[] bytes, int[] splits) {
		List<ByteBuffer> reads = new ArrayList<>();
		int from = 0;
		for (int i = 0; i <= splits.length; i++) {
			int to = (i < splits.length) ? splits[i] : bytes.length;
			reads.add(ByteBuffer.allocateDirect(to - from).put(bytes, from, to - from).flip());
			from = to;
		}
		return reads;
	}

	static String describe(int[] splits) {
		return (splits.length == 0) ? "whole" : (splits.length == 1) ? "split at " + splits[0] : "one byte at a time";
	}

}
