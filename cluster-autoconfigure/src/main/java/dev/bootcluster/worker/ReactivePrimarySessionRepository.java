package dev.bootcluster.worker;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.session.ReactiveSessionRepository;

/**
 * Spring Session's {@link ReactiveSessionRepository} for WebFlux apps, backed by the
 * {@link PrimarySessions}: nothing blocks, and sessions are read back off the exchange's
 * reader thread.
 * <p>
 * Threads: whichever subscribes; sessions are deserialised on Reactor's parallel
 * scheduler.
 */
public final class ReactivePrimarySessionRepository implements ReactiveSessionRepository<PrimarySession> {

	private final PrimarySessions sessions;

	public ReactivePrimarySessionRepository(PrimarySessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public Mono<PrimarySession> createSession() {
		return Mono.fromSupplier(this.sessions::create);
	}

	@Override
	public Mono<Void> save(PrimarySession session) {
		return Mono.fromFuture(() -> this.sessions.save(session));
	}

	@Override
	public Mono<PrimarySession> findById(String id) {
		return Mono.fromFuture(() -> this.sessions.fetch(id))
			.publishOn(Schedulers.parallel())
			.flatMap((reply) -> Mono.justOrEmpty(this.sessions.read(id, reply)));
	}

	@Override
	public Mono<Void> deleteById(String id) {
		return Mono.fromFuture(() -> this.sessions.delete(id));
	}

}
