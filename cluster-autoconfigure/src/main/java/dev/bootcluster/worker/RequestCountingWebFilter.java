package dev.bootcluster.worker;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Counts a reactive application's requests for the worker's agent
 * ({@code cluster.worker.max-requests}, the endpoint's request counts).
 */
public class RequestCountingWebFilter implements WebFilter {

	private final WorkerAgent agent;

	public RequestCountingWebFilter(WorkerAgent agent) {
		this.agent = agent;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		this.agent.requestServed();
		return chain.filter(exchange);
	}

}
