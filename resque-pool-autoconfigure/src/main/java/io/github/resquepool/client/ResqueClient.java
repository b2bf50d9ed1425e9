package io.github.resquepool.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.github.resquepool.job.ActiveJobArguments;
import io.github.resquepool.job.ActiveJobPayload;
import io.github.resquepool.job.UniqueJob;
import io.github.resquepool.job.UniqueJobs;
import io.github.resquepool.resque.DelayedStore;
import io.github.resquepool.resque.JobPayload;
import io.github.resquepool.resque.QueueSpec;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.resque.RubyJson;
import io.github.resquepool.resque.UniqueLock;

/**
 * Enqueues Resque jobs from Java and reads queues. An enqueue writes byte for byte what
 * Ruby's {@code Resque.enqueue_to} writes (compact {@code {"class":..,"args":[..]}}, SADD
 * {@code queues}, RPUSH <code>queue:&lt;q&gt;</code>), so Ruby workers run Java-enqueued
 * jobs and Ruby's {@code Resque.dequeue} finds them; it also wakes an idle pool worker at
 * once. Arguments are written with the application's Jackson mapper. Thread-safe.
 * <p>
 * <b>Transactions.</b> A client created with {@code afterCommit} (the auto-configured
 * one, unless {@code resque.pool.client.enqueue-after-commit=false}) defers every enqueue
 * made inside an active Spring-managed transaction until that transaction commits, and
 * drops it when the transaction rolls back, so a job never looks for rows that are not
 * committed yet. Outside a transaction it enqueues at once. {@link #immediate()} gives a
 * client that always enqueues at once. When enqueues fail after the commit (Redis down),
 * every enqueue of the transaction is still attempted, each failure is logged at error
 * level with its class and queue, and one {@link EnqueueAfterCommitException} listing the
 * jobs not enqueued is thrown from the commit call: the data is committed, so it is not a
 * rollback. Outside a transaction a failed enqueue throws a
 * {@link io.github.resquepool.resque.ResqueRedisException} whose
 * {@link io.github.resquepool.resque.ResqueRedisException#mayHaveBeenWritten()} tells
 * whether the job may be in Redis (a timeout) or certainly is not (not connected,
 * refused).
 * <p>
 * <b>Outbox.</b> A client given an {@link EnqueueOutbox} (the auto-configured one with
 * {@code resque.pool.client.outbox.enabled=true}) writes every enqueue it would defer to
 * the commit into the outbox instead, in the same transaction: the job is a row of the
 * application's database, delivered to Redis after the commit and until Redis takes it,
 * and a rollback leaves nothing. The enqueue methods then never wait for Redis.
 * <p>
 * <b>ActiveJob.</b> {@link #enqueueActiveJob} writes the wrapper payload of Rails'
 * ActiveJob Resque adapter, so a Ruby worker runs the Rails job class; see
 * {@link ActiveJobArguments} for how Java values are written.
 * <p>
 * <b>Unique jobs.</b> A client given the process's {@link UniqueJobs} enqueues a job of a
 * {@link io.github.resquepool.job.ResqueUnique @ResqueUnique} class only if no identical
 * one (same class and key) is enqueued, delayed or, until it finishes, running: the lock
 * is taken in the same atomic step as the push, when the push happens (after the commit,
 * for a deferred one). {@link #enqueue} then returns {@link #DUPLICATE};
 * {@link #enqueueAt} and {@link #enqueueIn} return as usual and log the duplicate at
 * debug level. Each duplicate is told to {@link DuplicateEnqueues}. A class without a
 * handler in this process is enqueued without a lock.
 */
public class ResqueClient {

	/**
	 * What {@link #enqueue} returns when the enqueue waits for the transaction to commit.
	 */
	public static final long DEFERRED = -1;

	/**
	 * What {@link #enqueue} returns when it did not enqueue a
	 * {@link io.github.resquepool.job.ResqueUnique unique} job because an identical one
	 * is enqueued, delayed or running.
	 */
	public static final long DUPLICATE = -2;

	private static final Log logger = LogFactory.getLog(ResqueClient.class);

	private final ResqueRedis redis;

	private final JsonMapper mapper;

	private final boolean enqueuedAt;

	private final boolean afterCommit;

	private final EnqueueTracing tracing;

	private final UniqueJobs uniqueJobs;

	private final DuplicateEnqueues duplicates;

	private final EnqueueOutbox outbox;

	/**
	 * Creates a client that enqueues at once, also inside transactions.
	 * @param redis the gateway
	 * @param mapper the application's mapper, used for arguments
	 * @param enqueuedAt whether payloads carry an {@code enqueued_at} time (which Ruby
	 * ignores, but which makes byte-exact {@code Resque.dequeue} miss them)
	 */
	public ResqueClient(ResqueRedis redis, JsonMapper mapper, boolean enqueuedAt) {
		this(redis, mapper, enqueuedAt, false);
	}

	/**
	 * Creates a client.
	 * @param redis the gateway
	 * @param mapper the application's mapper, used for arguments
	 * @param enqueuedAt whether payloads carry an {@code enqueued_at} time
	 * @param afterCommit whether an enqueue inside an active Spring-managed transaction
	 * waits for its commit (and is dropped on rollback)
	 */
	public ResqueClient(ResqueRedis redis, JsonMapper mapper, boolean enqueuedAt, boolean afterCommit) {
		this(redis, mapper, enqueuedAt, afterCommit, null);
	}

	/**
	 * Creates a client.
	 * @param redis the gateway
	 * @param mapper the application's mapper, used for arguments
	 * @param enqueuedAt whether payloads carry an {@code enqueued_at} time
	 * @param afterCommit whether an enqueue inside an active Spring-managed transaction
	 * waits for its commit (and is dropped on rollback)
	 * @param tracing adds the caller's trace context to immediate payloads (not to
	 * delayed items, whose bytes Ruby's {@code remove_delayed} matches), or {@code null}
	 */
	public ResqueClient(ResqueRedis redis, JsonMapper mapper, boolean enqueuedAt, boolean afterCommit,
			EnqueueTracing tracing) {
		this(redis, mapper, enqueuedAt, afterCommit, tracing, null, null);
	}

	/**
	 * Creates a client that enqueues the jobs of unique classes under their locks.
	 * @param redis the gateway
	 * @param mapper the application's mapper, used for arguments
	 * @param enqueuedAt whether payloads carry an {@code enqueued_at} time
	 * @param afterCommit whether an enqueue inside an active Spring-managed transaction
	 * waits for its commit (and is dropped on rollback)
	 * @param tracing adds the caller's trace context to immediate payloads, or
	 * {@code null}
	 * @param uniqueJobs the unique classes of this process, or {@code null} for none
	 * @param duplicates told of each enqueue not made as a duplicate, or {@code null}
	 */
	public ResqueClient(ResqueRedis redis, JsonMapper mapper, boolean enqueuedAt, boolean afterCommit,
			EnqueueTracing tracing, UniqueJobs uniqueJobs, DuplicateEnqueues duplicates) {
		this(redis, mapper, enqueuedAt, afterCommit, tracing, uniqueJobs, duplicates, null);
	}

	/**
	 * Creates a client that writes the enqueues it defers to the commit into a
	 * transactional outbox.
	 * @param redis the gateway
	 * @param mapper the application's mapper, used for arguments
	 * @param enqueuedAt whether payloads carry an {@code enqueued_at} time
	 * @param afterCommit whether an enqueue inside an active Spring-managed transaction
	 * waits for its commit (and is dropped on rollback); without it the outbox is not
	 * used
	 * @param tracing adds the caller's trace context to immediate payloads, or
	 * {@code null}
	 * @param uniqueJobs the unique classes of this process, or {@code null} for none
	 * @param duplicates told of each enqueue not made as a duplicate, or {@code null}
	 * @param outbox where enqueues inside a transaction are written, or {@code null} to
	 * defer them to the commit
	 */
	public ResqueClient(ResqueRedis redis, JsonMapper mapper, boolean enqueuedAt, boolean afterCommit,
			EnqueueTracing tracing, UniqueJobs uniqueJobs, DuplicateEnqueues duplicates, EnqueueOutbox outbox) {
		this.redis = redis;
		this.mapper = mapper;
		this.enqueuedAt = enqueuedAt;
		this.afterCommit = afterCommit;
		this.tracing = tracing;
		this.uniqueJobs = uniqueJobs;
		this.duplicates = duplicates;
		this.outbox = outbox;
	}

	/**
	 * Returns a client that writes at once, also inside a transaction, for the few jobs
	 * that must be enqueued whatever becomes of it (an audit or a compensation job).
	 * @return a client on the same Redis without after-commit deferral
	 */
	public ResqueClient immediate() {
		return this.afterCommit ? new ResqueClient(this.redis, this.mapper, this.enqueuedAt, false, this.tracing,
				this.uniqueJobs, this.duplicates, null) : this;
	}

	/**
	 * Tells whether this client defers enqueues made inside a transaction until its
	 * commit.
	 * @return whether it does
	 */
	public boolean isAfterCommit() {
		return this.afterCommit;
	}

	/**
	 * Tells whether this client writes the enqueues made inside a transaction into a
	 * transactional outbox.
	 * @return whether it does
	 */
	public boolean isOutboxed() {
		return this.afterCommit && this.outbox != null;
	}

	/**
	 * Writes a job into the outbox when the enqueue is made inside a transaction the
	 * outbox joins.
	 * @param job the job, rendered
	 * @return whether the outbox took it
	 */
	private boolean outboxed(OutboxJob job) {
		return this.outbox != null && inTransaction() && this.outbox.write(job);
	}

	private boolean inTransaction() {
		return this.afterCommit && TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	/**
	 * Runs a write now, or after the commit of the current transaction.
	 * @param write the Redis write
	 * @return whether it ran now
	 */
	protected boolean write(Runnable write) {
		return write(null, null, write);
	}

	/**
	 * Runs a write of a job now, or after the commit of the current transaction, with the
	 * other writes deferred to that commit: each is attempted even when one before it
	 * failed, and the failures are thrown together as an
	 * {@link EnqueueAfterCommitException}.
	 * @param queue the job's queue, for the log, or {@code null}
	 * @param className the job's class, for the log, or {@code null}
	 * @param write the Redis write
	 * @return whether it ran now
	 */
	private boolean write(String queue, String className, Runnable write) {
		if (inTransaction()) {
			AfterCommit deferred = (AfterCommit) TransactionSynchronizationManager.getResource(AfterCommit.KEY);
			if (deferred == null) {
				deferred = new AfterCommit(this.duplicates);
				TransactionSynchronizationManager.bindResource(AfterCommit.KEY, deferred);
				TransactionSynchronizationManager.registerSynchronization(deferred);
			}
			deferred.writes.add(new DeferredWrite(queue, className, write));
			return false;
		}
		write.run();
		return true;
	}

	/**
	 * Enqueues a job, as Ruby's {@code Resque.enqueue_to(queue, className, *args)}.
	 * @param queue the queue
	 * @param className the Resque class name the worker dispatches on
	 * @param args the arguments, written as a JSON array
	 * @return the queue's length after the enqueue, {@link #DEFERRED} when it waits for
	 * the current transaction to commit, or {@link #DUPLICATE} when the job is unique and
	 * an identical one is enqueued, delayed or running
	 * @throws IllegalArgumentException when the queue name or class name is invalid, an
	 * argument cannot be written as JSON, or (for a unique job) the arguments do not fit
	 * its handler or its key cannot be evaluated
	 */
	public long enqueue(String queue, String className, Object... args) {
		checkQueue(queue);
		checkClass(className);
		UniqueLock lock = uniqueLock(queue, className, () -> argsJson(args));
		return traced(queue, className, () -> payload(className, args), lock);
	}

	private long traced(String queue, String className, Supplier<String> payload, UniqueLock lock) {
		if (this.tracing == null) {
			return push(queue, className, payload.get(), lock);
		}
		long[] length = { DEFERRED };
		this.tracing.enqueue(queue, className,
				(fields) -> length[0] = push(queue, className, withFields(payload.get(), fields), lock));
		return length[0];
	}

	/**
	 * The lock a job of a unique class is enqueued under.
	 * @return the lock, or {@code null} when the class is not unique in this process
	 */
	private UniqueLock uniqueLock(String queue, String className, Supplier<String> argsJson) {
		UniqueJob unique = (this.uniqueJobs != null) ? this.uniqueJobs.find(className).orElse(null) : null;
		if (unique == null) {
			return null;
		}
		return new UniqueLock(className, this.uniqueJobs.keyOf(unique, queue, argsJson.get()), unique.ttl());
	}

	private long push(String queue, String className, String payload, UniqueLock lock) {
		if (this.outbox != null && outboxed(new OutboxJob(queue, className, false, 0, payload,
				(lock != null) ? lock.name() : null, (lock != null) ? lock.ttl().toMillis() : 0))) {
			return DEFERRED;
		}
		if (lock == null) {
			return push(queue, payload);
		}
		long[] length = { DEFERRED };
		write(queue, className, () -> {
			length[0] = this.redis.jobs().enqueue(queue, payload, lock);
			if (length[0] < 0) {
				length[0] = DUPLICATE;
				duplicate(queue, className, lock);
			}
		});
		return length[0];
	}

	private void duplicate(String queue, String className, UniqueLock lock) {
		if (logger.isDebugEnabled()) {
			logger.debug("Not enqueued: a job of " + className + " on queue " + queue + " with the same key ("
					+ lock.name() + ") is enqueued, delayed or running");
		}
		if (this.duplicates != null) {
			this.duplicates.duplicate(queue, className);
		}
	}

	private static String withFields(String payload, Map<String, String> fields) {
		if (fields == null || fields.isEmpty()) {
			return payload;
		}
		StringBuilder rendered = new StringBuilder(payload.substring(0, payload.length() - 1));
		fields.forEach((key,
				value) -> rendered.append(',').append(RubyJson.quote(key)).append(':').append(RubyJson.quote(value)));
		return rendered.append('}').toString();
	}

	/**
	 * Enqueues a rendered payload, now or after the commit.
	 * @param queue the queue
	 * @param payload the payload text
	 * @return the queue's length, or {@link #DEFERRED}
	 */
	protected long push(String queue, String payload) {
		long[] length = { DEFERRED };
		write(queue, JobPayload.tryParse(payload).map(JobPayload::className).orElse("?"),
				() -> length[0] = this.redis.jobs().enqueue(queue, payload));
		return length[0];
	}

	/**
	 * Enqueues a Rails ActiveJob job, as
	 * {@code JobClass.set(queue: queue).perform_later(*args)} does with ActiveJob's
	 * Resque adapter (Rails 6.1 to 8.x): the wrapper payload
	 * {@code {"class":"ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper","args":[{job
	 * hash}]}} with a fresh {@code job_id}, {@code executions} 0, locale {@code en} and
	 * {@code enqueued_at} now (whole seconds, as Rails 6.1 writes it). Arguments are
	 * written as {@link ActiveJobArguments#serialize} describes: a {@link java.util.Map}
	 * becomes a hash with <em>symbol</em> keys.
	 * @param queue the queue (the job's {@code queue_name})
	 * @param jobClass the Rails job class, e.g. {@code SendInvoiceJob}
	 * @param args the arguments of its {@code perform}
	 * @return the new job's {@code job_id}
	 * @throws IllegalArgumentException when the queue or class is invalid, or an argument
	 * has no ActiveJob form
	 */
	public String enqueueActiveJob(String queue, String jobClass, Object... args) {
		String jobId = UUID.randomUUID().toString();
		checkQueue(queue);
		checkClass(jobClass);
		traced(queue, jobClass, () -> activeJobPayload(queue, jobClass, jobId, args), null);
		return jobId;
	}

	/**
	 * Delays a Rails ActiveJob job, as
	 * {@code JobClass.set(wait_until: at).perform_later(*args)} does (through
	 * resque-scheduler's {@code enqueue_at_with_queue}); see {@link #enqueueAt} and
	 * {@link #enqueueActiveJob}.
	 * @param queue the queue
	 * @param at when the job is due
	 * @param jobClass the Rails job class
	 * @param args the arguments
	 * @return the new job's {@code job_id}
	 */
	public String enqueueActiveJobAt(String queue, Instant at, String jobClass, Object... args) {
		checkQueue(queue);
		String jobId = UUID.randomUUID().toString();
		String wrapper = RubyJson.write(activeJobTree(queue, jobClass, jobId, args));
		delay(queue, at, ActiveJobPayload.WRAPPER_CLASS, "[" + wrapper + "]", null);
		return jobId;
	}

	/**
	 * Delays a Rails ActiveJob job by a duration, as
	 * {@code set(wait: delay).perform_later}; see {@link #enqueueActiveJobAt}.
	 * @param queue the queue
	 * @param delay how long from now
	 * @param jobClass the Rails job class
	 * @param args the arguments
	 * @return the new job's {@code job_id}
	 */
	public String enqueueActiveJobIn(String queue, Duration delay, String jobClass, Object... args) {
		return enqueueActiveJobAt(queue, Instant.now().plus(delay), jobClass, args);
	}

	/**
	 * Renders the wrapper payload {@link #enqueueActiveJob} writes.
	 * @param queue the queue
	 * @param jobClass the Rails job class
	 * @param jobId the job id
	 * @param args the arguments
	 * @return the payload text
	 */
	public String activeJobPayload(String queue, String jobClass, String jobId, Object... args) {
		return JobPayload.render(ActiveJobPayload.WRAPPER_CLASS,
				"[" + RubyJson.write(activeJobTree(queue, jobClass, jobId, args)) + "]");
	}

	private ObjectNode activeJobTree(String queue, String jobClass, String jobId, Object[] args) {
		checkClass(jobClass);
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		ObjectNode job = nodes.objectNode();
		job.put("job_class", jobClass);
		job.put("job_id", jobId);
		job.putNull("provider_job_id");
		job.put("queue_name", queue);
		job.putNull("priority");
		job.set("arguments", ActiveJobArguments.serialize(this.mapper, args));
		job.put("executions", 0);
		job.set("exception_executions", nodes.objectNode());
		job.put("locale", "en");
		job.putNull("timezone");
		job.put("enqueued_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
		return job;
	}

	/**
	 * Renders the payload an enqueue would write.
	 * @param className the Resque class name
	 * @param args the arguments
	 * @return the payload text
	 */
	public String payload(String className, Object... args) {
		if (className == null || className.isBlank()) {
			throw new IllegalArgumentException("a Resque class name is required");
		}
		String rendered = JobPayload.render(className, argsJson(args));
		if (this.enqueuedAt) {
			// A plain decimal, as Ruby's Time#to_f renders: never Java's exponent form
			// such as 1.7E9.
			String now = BigDecimal.valueOf(System.currentTimeMillis(), 3).toPlainString();
			rendered = rendered.substring(0, rendered.length() - 1) + ",\"enqueued_at\":" + now + "}";
		}
		return rendered;
	}

	/**
	 * Removes the jobs of a class from a queue, as Ruby's {@code Resque.dequeue}: with
	 * arguments, only the payloads equal byte for byte to what an enqueue of them writes.
	 * Removing a {@link io.github.resquepool.job.ResqueUnique unique} job by its
	 * arguments releases its lock, unless a worker runs a copy.
	 * @param queue the queue
	 * @param className the class name
	 * @param args the arguments; none to remove every job of the class
	 * @return how many jobs were removed
	 */
	public long dequeue(String queue, String className, Object... args) {
		if (args.length > 0) {
			String argsJson = argsJson(args);
			long removed = this.redis.queues().remove(checkQueue(queue), JobPayload.render(className, argsJson));
			if (removed > 0) {
				releaseWaiting(queue, className, argsJson);
			}
			return removed;
		}
		return this.redis.queues().removeClass(checkQueue(queue), className);
	}

	/**
	 * Delays a job, as Ruby's
	 * {@code Resque.enqueue_at_with_queue(queue, at, className, *args)}: the item
	 * {@code {"class":..,"args":[..],"queue":..}} goes into the bucket of the whole
	 * second of {@code at} ({@code delayed:<ts>}, {@code timestamps:<item>},
	 * {@code delayed_queue_schedule}), atomically, so that Ruby's {@code remove_delayed},
	 * {@code delayed?} and resque-web's Delayed tab see it and any resque-scheduler moves
	 * it. A second that is not later than the current one enqueues the job at once, as
	 * Ruby does. Arguments are written as Ruby writes JSON ({@link RubyJson}).
	 * @param queue the queue
	 * @param at when the job is due
	 * @param className the Resque class name
	 * <p>
	 * A job of a {@link io.github.resquepool.job.ResqueUnique unique} class is not
	 * delayed while an identical one is enqueued, delayed or running: the call returns as
	 * usual, logs it at debug level and tells {@link DuplicateEnqueues}.
	 * @param args the arguments
	 * @throws IllegalArgumentException when the queue or class name is invalid, or an
	 * argument cannot be written as Ruby writes JSON
	 */
	public void enqueueAt(String queue, Instant at, String className, Object... args) {
		checkQueue(queue);
		checkClass(className);
		String rubyArgs = argsJson(args);
		delay(queue, at, className, rubyArgs, uniqueLock(queue, className, () -> rubyArgs));
	}

	private void delay(String queue, Instant at, String className, String rubyArgs, UniqueLock lock) {
		long bucket = Math.floorDiv(at.toEpochMilli(), 1000L);
		if (this.outbox != null && inTransaction()) {
			// Decided now, as an enqueue at once would decide: a bucket that is due by
			// the
			// time the row is delivered is moved by the scheduler as soon as it looks.
			boolean due = bucket <= Instant.now().getEpochSecond();
			OutboxJob job = new OutboxJob(queue, className, !due, due ? 0 : bucket,
					due ? JobPayload.render(className, rubyArgs) : DelayedStore.item(queue, className, rubyArgs),
					(lock != null) ? lock.name() : null, (lock != null) ? lock.ttl().toMillis() : 0);
			if (this.outbox.write(job)) {
				return;
			}
		}
		write(queue, className, () -> {
			long length;
			if (bucket <= Instant.now().getEpochSecond()) {
				String payload = JobPayload.render(className, rubyArgs);
				length = (lock != null) ? this.redis.jobs().enqueue(queue, payload, lock)
						: this.redis.jobs().enqueue(queue, payload);
			}
			else {
				String item = DelayedStore.item(queue, className, rubyArgs);
				length = (lock != null) ? this.redis.delayed().delay(bucket, item, lock)
						: this.redis.delayed().delay(bucket, item);
			}
			if (length < 0) {
				duplicate(queue, className, lock);
			}
		});
	}

	/**
	 * Delays a job by a duration from now, as Ruby's
	 * {@code Resque.enqueue_in_with_queue}; see {@link #enqueueAt}.
	 * @param queue the queue
	 * @param delay how long from now
	 * @param className the Resque class name
	 * @param args the arguments
	 */
	public void enqueueIn(String queue, Duration delay, String className, Object... args) {
		enqueueAt(queue, Instant.now().plus(delay), className, args);
	}

	/**
	 * Removes delayed jobs, as Ruby's
	 * {@code Resque.remove_delayed_in_queue(className, queue,
	 * *args)}: every copy of the item, in every bucket, found through the
	 * {@code timestamps:} index by its exact encoding. Removing a
	 * {@link io.github.resquepool.job.ResqueUnique unique} job releases its lock, unless
	 * a worker runs a copy.
	 * @param queue the queue
	 * @param className the Resque class name
	 * @param args the arguments
	 * @return how many delayed jobs were removed
	 */
	public long removeDelayed(String queue, String className, Object... args) {
		checkQueue(queue);
		checkClass(className);
		String rubyArgs = argsJson(args);
		long removed = this.redis.delayed().remove(DelayedStore.item(queue, className, rubyArgs));
		if (removed > 0) {
			releaseWaiting(queue, className, rubyArgs);
		}
		return removed;
	}

	/**
	 * Releases the lock of a unique job that was removed from its queue or the delayed
	 * queue, unless a worker runs a copy.
	 */
	private void releaseWaiting(String queue, String className, String argsJson) {
		UniqueLock lock;
		try {
			lock = uniqueLock(queue, className, () -> argsJson);
		}
		catch (IllegalArgumentException ex) {
			// Arguments its handler does not take were never enqueued under a lock.
			return;
		}
		if (lock != null) {
			this.redis.unique().releaseWaiting(lock);
		}
	}

	/**
	 * @param queue a queue
	 * @return how many jobs wait in it
	 */
	public long size(String queue) {
		return this.redis.queues().size(queue);
	}

	/**
	 * @return the names in Resque's {@code queues} set
	 */
	public Set<String> queues() {
		return this.redis.queues().names();
	}

	/**
	 * Reads jobs of a queue without taking them.
	 * @param queue the queue
	 * @param start the first index (0 = the next job to run)
	 * @param count how many
	 * @return the payload texts
	 */
	public List<String> peek(String queue, long start, int count) {
		return this.redis.queues().peek(queue, start, start + count - 1);
	}

	/**
	 * Writes the arguments as Ruby's JSON writes them ({@link RubyJson}): floats such as
	 * {@code 1.0e-05} and control characters such as {@code \u001f} as Ruby spells them,
	 * so that a byte-exact {@code Resque.dequeue} on either side finds the job.
	 */
	private String argsJson(Object[] args) {
		try {
			return RubyJson.write(this.mapper.valueToTree(Arrays.asList(args)));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("cannot write the job arguments as JSON: " + ex.getMessage(), ex);
		}
	}

	private static void checkClass(String className) {
		if (className == null || className.isBlank()) {
			throw new IllegalArgumentException("a Resque class name is required");
		}
	}

	private static String checkQueue(String queue) {
		if (queue == null) {
			throw new IllegalArgumentException("a queue name is required");
		}
		QueueSpec spec = QueueSpec.parse(queue);
		if (spec.isDynamic() || spec.inclusions().size() != 1) {
			throw new IllegalArgumentException("'" + queue + "' is not a single queue name");
		}
		return queue;
	}

	/**
	 * A write deferred to the commit.
	 *
	 * @param queue the job's queue, or {@code null}
	 * @param className the job's class, or {@code null}
	 * @param write the Redis write
	 */
	private record DeferredWrite(String queue, String className, Runnable write) {
	}

	/**
	 * The writes one transaction deferred to its commit, bound to the transaction (and
	 * suspended with it) so that they run together: every one is attempted, each failure
	 * logged at error level, and the failures thrown as one
	 * {@link EnqueueAfterCommitException} that says the transaction committed.
	 */
	private static final class AfterCommit implements TransactionSynchronization {

		/** The key the writes are bound to the transaction under. */
		static final Object KEY = new Object();

		final List<DeferredWrite> writes = new ArrayList<>();

		/** Told of each failure, or {@code null}. */
		private final DuplicateEnqueues counter;

		AfterCommit(DuplicateEnqueues counter) {
			this.counter = counter;
		}

		@Override
		public void suspend() {
			TransactionSynchronizationManager.unbindResource(KEY);
		}

		@Override
		public void resume() {
			TransactionSynchronizationManager.bindResource(KEY, this);
		}

		@Override
		public void afterCommit() {
			List<EnqueueAfterCommitException.NotEnqueued> failed = new ArrayList<>();
			// By index: a write deferred while these run is attempted too.
			for (int i = 0; i < this.writes.size(); i++) {
				DeferredWrite deferred = this.writes.get(i);
				try {
					deferred.write().run();
				}
				catch (RuntimeException ex) {
					String queue = (deferred.queue() != null) ? deferred.queue() : "?";
					String className = (deferred.className() != null) ? deferred.className() : "?";
					logger.error("Not enqueued after the commit of its transaction (which committed): a job of "
							+ className + " on queue " + queue + ": " + ex, ex);
					failed.add(new EnqueueAfterCommitException.NotEnqueued(queue, className, ex));
					if (this.counter != null) {
						this.counter.failedAfterCommit(queue, className);
					}
				}
			}
			if (!failed.isEmpty()) {
				throw new EnqueueAfterCommitException(failed, this.writes.size());
			}
		}

		@Override
		public void afterCompletion(int status) {
			TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
		}

	}

}
