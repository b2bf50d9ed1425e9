package io.github.resquepool.job;

/**
 * Thrown by a {@link JobInterceptor#beforePerform before hook} to skip a job quietly, as
 * Ruby's {@code Resque::Job::DontPerform}: the job is not performed, does not fail, and
 * still counts as processed. As in Ruby, only a before hook may skip a job this way:
 * thrown from the handler or an around hook it is a failure like any other exception.
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
