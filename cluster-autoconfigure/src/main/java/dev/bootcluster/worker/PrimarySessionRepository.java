package dev.bootcluster.worker;

import org.jspecify.annotations.Nullable;
import org.springframework.session.SessionRepository;

/**
 * Spring Session's {@link SessionRepository} for servlet apps (Tomcat, Jetty), backed by
 * the {@link PrimarySessions}: each call waits for the primary's answer, within the
 * exchange's timeout. Finding sessions by index name (a principal's sessions) is not
 * supported.
 * <p>
 * Threads: request threads.
 */
public final class PrimarySessionRepository implements SessionRepository<PrimarySession> {

	private final PrimarySessions sessions;

	public PrimarySessionRepository(PrimarySessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public PrimarySession createSession() {
		return this.sessions.create();
	}

	@Override
	public void save(PrimarySession session) {
		PrimarySessions.await(this.sessions.save(session));
	}

	@Override
	public @Nullable PrimarySession findById(String id) {
		return this.sessions.read(id, PrimarySessions.await(this.sessions.fetch(id))).orElse(null);
	}

	@Override
	public void deleteById(String id) {
		PrimarySessions.await(this.sessions.delete(id));
	}

}
