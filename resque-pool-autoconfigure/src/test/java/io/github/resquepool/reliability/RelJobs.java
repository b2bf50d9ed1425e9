package io.github.resquepool.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;

import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.job.JobContext;
import io.github.resquepool.job.ResqueJob;

/**
 * The job handlers of the fault-injection suite. {@code Rel::Slow(id, millis)} appends
 * its id to the Redis list {@value #STARTED} when it starts and to {@value #DONE} after
 * sleeping {@code millis}, so the test reads what ran, how often, and what was in flight
 * at a fault, from Redis itself (the JVM running the job may be killed).
 * <p>
 * The records go through a fresh connection per write and are retried for a while, so a
 * job that finishes while Redis is down still gets recorded once Redis is back: the suite
 * checks the pool's guarantees, not the retry policy of the job's own side effects.
 */
public class RelJobs {

	/** The class name of the slow job. */
	public static final String SLOW = "Rel::Slow";

	/** The class name of a job that fails after recording that it started. */
	public static final String FAIL = "Rel::Fail";

	/** The class name of a job that throws an {@link AssertionError}. */
	public static final String ASSERTION = "Rel::Assertion";

	/** List of the ids of jobs that started (one entry per run). */
	public static final String STARTED = "test:started";

	/** List of the ids of jobs that finished (one entry per run). */
	public static final String DONE = "test:done";

	/**
	 * The class name of a job that processes items one by one and checkpoints after each.
	 */
	public static final String ROWS = "Rel::Rows";

	/** List of {@code <id>:<item>} of every item a {@link #ROWS} job processed. */
	public static final String ITEMS = "test:items";

	/**
	 * List of {@code <id>:<cursor>} of every run of a {@link #ROWS} job, as it starts.
	 */
	public static final String RESUMED = "test:resumed";

	/** The class name of a job that allocates memory and keeps it (a leak). */
	public static final String HOG = "Rel::Hog";

	/** What {@link #HOG} jobs keep: never freed in this JVM. */
	private static final List<byte[]> kept = new CopyOnWriteArrayList<>();

	/** List of {@code <id> <worker id>} for every run, for diagnosis. */
	public static final String RUNS = "test:runs";

	private static final Duration RECORD_RETRY_FOR = Duration.ofSeconds(30);

	private final String host;

	private final int port;

	/**
	 * @param host the Redis host the records go to
	 * @param port its port
	 */
	public RelJobs(String host, int port) {
		this.host = host;
		this.port = port;
	}

	@ResqueJob(SLOW)
	void slow(JobContext context, String id, long millis) throws InterruptedException {
		record(STARTED, id);
		record(RUNS, id + " " + context.workerId());
		Thread.sleep(millis);
		record(DONE, id);
	}

	@ResqueJob(ROWS)
	void rows(JobContext context, String id, int count, long millis) throws InterruptedException {
		long next = context.cursor(Long.class).orElse(0L);
		record(RESUMED, id + ":" + next);
		record(RUNS, id + " " + context.workerId());
		while (next < count) {
			Thread.sleep(millis);
			record(ITEMS, id + ":" + next);
			next++;
			context.checkpoint(next);
		}
		record(DONE, id);
	}

	@ResqueJob(HOG)
	void hog(JobContext context, String id, int megabytes, long millis) throws InterruptedException {
		record(STARTED, id);
		record(RUNS, id + " " + context.workerId());
		byte[] block = new byte[megabytes * 1024 * 1024];
		block[block.length - 1] = 1;
		kept.add(block);
		Thread.sleep(millis);
		record(DONE, id);
	}

	@ResqueJob(FAIL)
	void fail(JobContext context, String id) throws InterruptedException {
		record(STARTED, id);
		record(RUNS, id + " " + context.workerId());
		throw new IllegalStateException("job " + id + " fails on purpose");
	}

	@ResqueJob(ASSERTION)
	void assertion(JobContext context, String id) throws InterruptedException {
		record(STARTED, id);
		record(RUNS, id + " " + context.workerId());
		throw new AssertionError("job " + id + " breaks an assertion");
	}

	private void record(String key, String id) throws InterruptedException {
		long deadline = System.nanoTime() + RECORD_RETRY_FOR.toNanos();
		while (true) {
			try (StatefulRedisConnection<String, String> connection = RedisConnections.open(this.host, this.port,
					Duration.ofSeconds(2))) {
				connection.sync().rpush(key, id);
				return;
			}
			catch (RedisException ex) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("cannot record " + key + " " + id, ex);
				}
				Thread.sleep(100);
			}
		}
	}

	/**
	 * The payload of a slow job, as Ruby's {@code Resque.enqueue} writes it.
	 * @param id the job's id
	 * @param millis how long it sleeps
	 * @return the JSON payload
	 */
	public static String payload(String id, long millis) {
		return "{\"class\":\"" + SLOW + "\",\"args\":[\"" + id + "\"," + millis + "]}";
	}

	/**
	 * The payload of a job that processes items and checkpoints after each.
	 * @param id the job's id
	 * @param count how many items
	 * @param millis how long each takes
	 * @return the JSON payload
	 */
	public static String rowsPayload(String id, int count, long millis) {
		return "{\"class\":\"" + ROWS + "\",\"args\":[\"" + id + "\"," + count + "," + millis + "]}";
	}

	/**
	 * The payload of a job of a class that takes only an id.
	 * @param className the class, such as {@link #FAIL}
	 * @param id the job's id
	 * @return the JSON payload
	 */
	public static String payload(String className, String id) {
		return "{\"class\":\"" + className + "\",\"args\":[\"" + id + "\"]}";
	}

}
