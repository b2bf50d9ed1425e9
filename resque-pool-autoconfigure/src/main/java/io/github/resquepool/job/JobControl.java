package io.github.resquepool.job;

import java.util.Optional;

/**
 * What a running job can ask of the worker that runs it, through its {@link JobContext}:
 * its saved cursor, a checkpoint, whether it was cancelled, and its progress. A worker
 * gives each job a control of its own; a context made outside a worker (a test, an inline
 * run) gets a {@link #detached() detached} one.
 */
public interface JobControl {

	/**
	 * Reads the cursor the job saved in an earlier run (or earlier in this one).
	 * @param <T> the cursor's type
	 * @param type the cursor's type, as Jackson reads it
	 * @return the cursor, or empty on a first run
	 */
	<T> Optional<T> cursor(Class<T> type);

	/**
	 * Saves the job's cursor before it returns, then throws {@link JobInterrupt} when the
	 * job must stop here.
	 * @param cursor any value Jackson writes as JSON
	 * @throws JobInterrupt when the job must stop at this checkpoint
	 */
	void checkpoint(Object cursor);

	/**
	 * @return whether the job was cancelled
	 */
	boolean isCancelled();

	/**
	 * Reports how far the job got.
	 * @param done how many units are done
	 * @param total how many there are in all, 0 when unknown
	 * @param message what it is doing, or {@code null}
	 */
	void progress(long done, long total, String message);

	/**
	 * A control for a context made outside a worker: it keeps the cursor in memory, never
	 * stops the job and is never cancelled.
	 * @return a new control
	 */
	static JobControl detached() {
		return new DetachedJobControl();
	}

}
