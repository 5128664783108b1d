package dev.bootcluster.primary;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import dev.bootcluster.channel.Notice;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the primary tells the user once per cluster start when a worker reports it, not
 * once per worker: the password it generated for the cluster (in Boot's own words, as
 * {@code UserDetailsServiceAutoConfiguration} logs it) when Boot's generated user is in
 * use, and that scheduled tasks run in every worker. Only a worker knows the app's beans,
 * so the primary waits to be told: an app with a user of its own never sees the password.
 * <p>
 * Threads: owned by the arbiter thread.
 */
final class Notices {

	private static final Log logger = LogFactory.getLog(Notices.class);

	private final String userPassword;

	private final Set<Notice> told = EnumSet.noneOf(Notice.class);

	private Notices(String userPassword) {
		this.userPassword = userPassword;
	}

	/** Notices for a new cluster start, with a new password, generated as Boot does. */
	static Notices forNewCluster() {
		return new Notices(UUID.randomUUID().toString());
	}

	/** The password every worker uses where Boot would generate one. */
	String userPassword() {
		return this.userPassword;
	}

	/**
	 * A worker reports {@code name}: logged the first time; a name this primary does not
	 * know (a newer worker's) is ignored.
	 */
	void told(String name) {
		Notice notice;
		try {
			notice = Notice.valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			logger.debug("Ignored an unknown notice: " + name);
			return;
		}
		if (!this.told.add(notice)) {
			return;
		}
		switch (notice) {
			case GENERATED_PASSWORD -> logger.warn(String.format("%n%nUsing generated security password: %s%n%n"
					+ "This generated password is for development use only. Your security configuration must be "
					+ "updated before running your application in production.%n", this.userPassword));
			case SCHEDULED_TASKS -> logger.info("The application's scheduled tasks (@Scheduled) run in every worker, "
					+ "each on its own schedule; to run one in a single worker at a time, annotate it "
					+ "@ClusterSingleton (dev.bootcluster.scheduling)");
		}
	}

}
