package dev.bootcluster.channel;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The one-time tokens the primary gives its launches: one per forked worker, valid for
 * one {@code HELLO} from that worker's pid on the control channel, and one on the
 * exchange. A token stays known (as used) while its process lives, so that a replay is
 * named as one; it is forgotten when the process ends.
 * <p>
 * Threads: the arbiter thread issues tokens and binds them to pids; channel reader
 * threads redeem them.
 */
final class LaunchTokens {

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Launch> launches = new ConcurrentHashMap<>();

	/** A new token for a launch about to be forked. */
	String issue() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String token = HexFormat.of().formatHex(bytes);
		this.launches.put(token, new Launch());
		return token;
	}

	/** The launch given {@code token} is {@code process}; the token ends with it. */
	void launched(String token, ProcessHandle process) {
		Launch launch = this.launches.get(token);
		if (launch != null) {
			launch.pid.complete(process.pid());
			process.onExit().thenRun(() -> this.launches.remove(token));
		}
	}

	/** The launch given {@code token} could not be forked. */
	void abandoned(String token) {
		this.launches.remove(token);
	}

	/**
	 * Spends {@code token} for a HELLO from {@code pid}. A HELLO may come before the
	 * primary has learnt the pid of what it forked: that is waited for up to
	 * {@code wait}.
	 * @return {@code null} if the token is valid for that pid (it is now used), otherwise
	 * why it is refused
	 */
	@Nullable String redeem(String token, long pid, Duration wait) {
		return redeem(token, pid, wait, false);
	}

	/**
	 * Spends {@code token} for an exchange HELLO from {@code pid}, as {@link #redeem}
	 * does for the control channel's.
	 */
	@Nullable String redeemForExchange(String token, long pid, Duration wait) {
		return redeem(token, pid, wait, true);
	}

	private @Nullable String redeem(String token, long pid, Duration wait, boolean exchange) {
		Launch launch = find(token);
		if (launch == null) {
			return "its token was not issued by this primary";
		}
		long issuedFor;
		try {
			issuedFor = launch.pid.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			return "its token belongs to no running worker";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "the primary is stopping";
		}
		synchronized (launch) {
			if (exchange ? launch.usedForExchange : launch.used) {
				return "its token was already used (a replay, or a child process of the worker)";
			}
			if (issuedFor != pid) {
				return "it says it is pid " + pid + " but its token was issued for pid " + issuedFor;
			}
			if (exchange) {
				launch.usedForExchange = true;
			}
			else {
				launch.used = true;
			}
		}
		return null;
	}

	/**
	 * The launch of a token, compared in constant time so that timing reveals nothing.
	 */
	private @Nullable Launch find(String candidate) {
		byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
		for (Map.Entry<String, Launch> entry : this.launches.entrySet()) {
			if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8), bytes)) {
				return entry.getValue();
			}
		}
		return null;
	}

	private static final class Launch {

		private final CompletableFuture<Long> pid = new CompletableFuture<>();

		/** Guarded by the launch itself: two HELLOs may race for it. */
		private boolean used;

		/** The same, for the exchange. */
		private boolean usedForExchange;

	}

}
