package dev.bootcluster.channel;

/**
 * What a worker finds about the application that the user should read once per cluster
 * start: the worker tells the primary ({@link Message.Type#NOTICE}), and the primary logs
 * it the first time.
 */
public enum Notice {

	/**
	 * Boot's generated user is in use, with the password the primary generated
	 * ({@link WorkerEnvironment#USER_PASSWORD}).
	 */
	GENERATED_PASSWORD,

	/** The application has scheduled tasks, and the cluster runs more than one worker. */
	SCHEDULED_TASKS

}
