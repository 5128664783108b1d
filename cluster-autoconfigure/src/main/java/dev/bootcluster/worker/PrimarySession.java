package dev.bootcluster.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.session.MapSession;
import org.springframework.session.Session;

/**
 * A session kept by the primary, as a worker holds it during a request: a
 * {@link MapSession} plus the id the primary knows it by and the bytes it last kept, so
 * that a request that changed nothing saves nothing (most requests only read the session;
 * the primary counts their reads as accesses).
 * <p>
 * Threads: the request's, as any Spring Session session.
 */
public final class PrimarySession implements Session {

	private final MapSession delegate;

	/** The id the primary keeps it under; {@code null} while it keeps none. */
	private @Nullable String keptId;

	/** What the primary keeps, as last read or saved; {@code null} for a new session. */
	private byte @Nullable [] kept;

	PrimarySession(MapSession delegate, @Nullable String keptId, byte @Nullable [] kept) {
		this.delegate = delegate;
		this.keptId = keptId;
		this.kept = kept;
	}

	MapSession delegate() {
		return this.delegate;
	}

	@Nullable String keptId() {
		return this.keptId;
	}

	/**
	 * Whether {@code bytes} under this session's id is what the primary keeps already.
	 */
	boolean keptAs(byte[] bytes) {
		return getId().equals(this.keptId) && Arrays.equals(bytes, this.kept);
	}

	/** The primary now keeps {@code bytes} under this session's id. */
	void kept(byte[] bytes) {
		this.keptId = getId();
		this.kept = bytes;
	}

	@Override
	public String getId() {
		return this.delegate.getId();
	}

	@Override
	public String changeSessionId() {
		return this.delegate.changeSessionId();
	}

	@Override
	public <T> @Nullable T getAttribute(String attributeName) {
		return this.delegate.getAttribute(attributeName);
	}

	@Override
	public Set<String> getAttributeNames() {
		return this.delegate.getAttributeNames();
	}

	@Override
	public void setAttribute(String attributeName, @Nullable Object attributeValue) {
		this.delegate.setAttribute(attributeName, attributeValue);
	}

	@Override
	public void removeAttribute(String attributeName) {
		this.delegate.removeAttribute(attributeName);
	}

	@Override
	public Instant getCreationTime() {
		return this.delegate.getCreationTime();
	}

	@Override
	public void setLastAccessedTime(Instant lastAccessedTime) {
		this.delegate.setLastAccessedTime(lastAccessedTime);
	}

	@Override
	public Instant getLastAccessedTime() {
		return this.delegate.getLastAccessedTime();
	}

	@Override
	public void setMaxInactiveInterval(Duration interval) {
		this.delegate.setMaxInactiveInterval(interval);
	}

	@Override
	public Duration getMaxInactiveInterval() {
		return this.delegate.getMaxInactiveInterval();
	}

	@Override
	public boolean isExpired() {
		return this.delegate.isExpired();
	}

}
