package dev.bootcluster.worker;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Counts a servlet application's requests for the worker's agent
 * ({@code cluster.worker.max-requests}, the endpoint's request counts).
 */
public class RequestCountingFilter implements Filter {

	private final WorkerAgent agent;

	public RequestCountingFilter(WorkerAgent agent) {
		this.agent = agent;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		this.agent.requestServed();
		chain.doFilter(request, response);
	}

}
