package io.github.resquepool.worker;

/**
 * What a worker is doing.
 */
public enum WorkerState {

	/** Created, not yet registered in Redis. */
	STARTING,

	/** Registered and waiting for a job. */
	IDLE,

	/** Running a job. */
	WORKING,

	/** Taking no job because its group, the pool or {@code pause-all-workers} says so. */
	PAUSED,

	/** Finishing its current job before it leaves (stop or scale-down). */
	STOPPING,

	/** Its job ignored a timeout's interrupt; a replacement took its place. */
	STUCK,

	/** Gone. */
	STOPPED

}
