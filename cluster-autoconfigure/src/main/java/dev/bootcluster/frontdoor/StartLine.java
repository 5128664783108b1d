package dev.bootcluster.frontdoor;

import java.nio.ByteBuffer;

/**
 * The first line of an HTTP/1.x message head, checked only as far as framing needs: the
 * version of a request line, the version and status code of a status line.
 */
final class StartLine {

	private static final byte[] HTTP_1 = HeaderFields.ascii("HTTP/1.");

	private StartLine() {
	}

	/**
	 * The minor version (0 or 1) of a request line whose method ends at
	 * {@code methodEnd}: {@code method SP target SP HTTP/1.x}; -1 for anything else.
	 */
	static int requestVersion(ByteBuffer head, int methodEnd, int lineEnd) {
		int versionStart = lineEnd - HTTP_1.length - 1;
		if (head.get(methodEnd) != ' ' || versionStart < methodEnd + 3 || head.get(versionStart - 1) != ' ') {
			return -1;
		}
		for (int i = methodEnd + 1; i < versionStart - 1; i++) {
			byte b = head.get(i);
			if (b <= ' ' || b == 0x7f) {
				return -1;
			}
		}
		return minorVersion(head, versionStart, lineEnd);
	}

	/** The minor version (0 or 1) of a status line starting at {@code start}, or -1. */
	static int responseVersion(ByteBuffer head, int start, int lineEnd) {
		int versionEnd = start + HTTP_1.length + 1;
		if (lineEnd < versionEnd + 4 || head.get(versionEnd) != ' ') {
			return -1;
		}
		return minorVersion(head, start, versionEnd);
	}

	/** The three-digit status code of a status line whose version was read, or -1. */
	static int status(ByteBuffer head, int start, int lineEnd) {
		int codeStart = start + HTTP_1.length + 2;
		int status = 0;
		for (int i = codeStart; i < codeStart + 3; i++) {
			byte b = head.get(i);
			if (b < '0' || b > '9') {
				return -1;
			}
			status = status * 10 + (b - '0');
		}
		int after = codeStart + 3;
		return (after == lineEnd || head.get(after) == ' ') ? status : -1;
	}

	private static int minorVersion(ByteBuffer head, int from, int end) {
		if (end - from != HTTP_1.length + 1) {
			return -1;
		}
		for (int i = 0; i < HTTP_1.length; i++) {
			if (head.get(from + i) != HTTP_1[i]) {
				return -1;
			}
		}
		byte minor = head.get(end - 1);
		return (minor == '0' || minor == '1') ? minor - '0' : -1;
	}

}
