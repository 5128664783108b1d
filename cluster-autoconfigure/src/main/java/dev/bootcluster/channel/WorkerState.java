package dev.bootcluster.channel;

/**
 * Where a worker process is in its life. Only {@link #READY} workers get new connections.
 */
public enum WorkerState {

	/** Forked; the application is starting. */
	STARTING,

	/** The application accepts traffic; the worker is in rotation. */
	READY,

	/** Out of rotation; connections it has go on until it stops. */
	DRAINING,

	/** Asked to stop (SIGTERM); it is shutting down gracefully. */
	STOPPING,

	/** The process has ended. */
	EXITED,

	/**
	 * Not a process's state but its slot's: the worker crash-looped or cannot boot, and
	 * is not restarted until asked.
	 */
	FAILED

}
