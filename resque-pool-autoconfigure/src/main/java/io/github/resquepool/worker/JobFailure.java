package io.github.resquepool.worker;

import java.util.ArrayList;
import java.util.List;

import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.resque.RubyTime;

/**
 * Turns what went wrong with a job into a Resque failure entry: the Java exception class
 * as {@code exception}, its message as {@code error}, and the frames up to the pool's own
 * invocation code as {@code backtrace}, as Ruby cuts at {@code lib/resque/job.rb}.
 */
public final class JobFailure {

	/** The exception name Ruby records for a job that never finished. */
	public static final String DIRTY_EXIT = "Resque::DirtyExit";

	/** The exception name recorded for a job that was cancelled while it ran. */
	public static final String JOB_CANCELLED = "ResquePool::JobCancelled";

	private static final int MAX_FRAMES = 60;

	private static final int MAX_CAUSE_FRAMES = 10;

	private JobFailure() {
	}

	/**
	 * Builds the entry for an exception.
	 * @param error the exception
	 * @param workerId the worker that ran the job
	 * @param queue the queue it came from
	 * @param payload the payload text
	 * @return the failure entry
	 */
	public static FailureRecord of(Throwable error, String workerId, String queue, String payload) {
		String message = (error.getMessage() != null) ? error.getMessage() : "";
		return new FailureRecord(RubyTime.failedAtNow(), payload, error.getClass().getName(), message, backtrace(error),
				workerId, queue, null);
	}

	/**
	 * Builds a {@code Resque::DirtyExit} entry for a job that never finished.
	 * @param reason why it did not finish
	 * @param workerId the worker that ran it
	 * @param queue the queue it came from
	 * @param payload the payload text
	 * @return the failure entry
	 */
	public static FailureRecord dirtyExit(String reason, String workerId, String queue, String payload) {
		return new FailureRecord(RubyTime.failedAtNow(), payload, DIRTY_EXIT, reason, List.of(), workerId, queue, null);
	}

	/**
	 * Builds a {@code ResquePool::JobCancelled} entry for a job cancelled while it ran.
	 * @param cancel who cancelled it and when
	 * @param workerId the worker that ran it
	 * @param queue the queue it came from
	 * @param payload the payload text
	 * @return the failure entry
	 */
	public static FailureRecord cancelled(JobCancel cancel, String workerId, String queue, String payload) {
		return new FailureRecord(RubyTime.failedAtNow(), payload, JOB_CANCELLED, cancel.describe(), List.of(), workerId,
				queue, null);
	}

	static List<String> backtrace(Throwable error) {
		List<String> lines = new ArrayList<>();
		appendFrames(error, lines, MAX_FRAMES);
		Throwable cause = error.getCause();
		int depth = 0;
		while (cause != null && cause != error && depth++ < 5) {
			lines.add("Caused by: " + cause);
			appendFrames(cause, lines, MAX_CAUSE_FRAMES);
			cause = cause.getCause();
		}
		return lines;
	}

	private static void appendFrames(Throwable error, List<String> lines, int max) {
		StackTraceElement[] frames = error.getStackTrace();
		int added = 0;
		for (StackTraceElement frame : frames) {
			if (added > 0 && isInvocationFrame(frame)) {
				return;
			}
			if (added++ == max) {
				lines.add("... " + (frames.length - max) + " more");
				return;
			}
			lines.add(frame.toString());
		}
	}

	private static boolean isInvocationFrame(StackTraceElement frame) {
		String type = frame.getClassName();
		return type.startsWith("io.github.resquepool.") || type.startsWith("jdk.internal.reflect.")
				|| type.equals("java.lang.reflect.Method");
	}

}
