package dev.bootcluster.actuate;

import org.springframework.boot.actuate.endpoint.SecurityContext;

/**
 * Tells who is looking at the live view, from the request actuator is serving. Called on
 * that request's thread.
 */
@FunctionalInterface
public interface ClusterPageViewers {

	/**
	 * Anyone may act: for an application without Spring Security, where nothing stops a
	 * {@code POST} that actuator maps.
	 */
	ClusterPageViewers ANYONE = (context) -> new ClusterPage.Viewer(true, null);

	/**
	 * Whoever has logged in may act: where the rules for a {@code POST} cannot be asked
	 * (a reactive application); the server still decides, and the page shows its answer.
	 */
	ClusterPageViewers LOGGED_IN = (context) -> new ClusterPage.Viewer(context.getPrincipal() != null, null);

	ClusterPage.Viewer viewer(SecurityContext context);

}
