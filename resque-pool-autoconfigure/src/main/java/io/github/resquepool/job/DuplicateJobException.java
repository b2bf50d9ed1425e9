package io.github.resquepool.job;

/**
 * Skips a {@link ResqueUnique unique} job that a worker took while another copy of the
 * same class and key runs (a copy enqueued by Ruby, which does not know the lock): the
 * job is not performed and is no failure; metrics count it as {@code duplicate}.
 */
public class DuplicateJobException extends DontPerform {

	/**
	 * Creates an exception.
	 * @param reason which job and who holds its key
	 */
	public DuplicateJobException(String reason) {
		super(reason);
	}

}
