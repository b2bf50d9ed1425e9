package io.github.resquepool.job;

/**
 * Thrown by a {@link JobInterceptor} (or a handler) to skip a job quietly, as Ruby's
 * {@code Resque::Job::DontPerform}: the job is not performed, does not fail, and still counts as
 * processed.
 */
public class DontPerform extends RuntimeException {

	/**
	 * Creates an exception with Ruby's class name as its message.
	 */
	public DontPerform() {
		this("Resque::Job::DontPerform");
	}

	/**
	 * Creates an exception.
	 * @param reason why the job is skipped
	 */
	public DontPerform(String reason) {
		super(reason);
	}

}
