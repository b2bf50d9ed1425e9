package io.github.resquepool.resque;

import java.time.Duration;

/**
 * The way to Resque's data in Redis, split by kind of record as Spring Data Redis splits
 * its operations by data type: {@link #jobs()}, {@link #queues()}, {@link #workers()},
 * {@link #pools()}, {@link #failures()}, {@link #delayed()}, {@link #masterLock()},
 * {@link #schedules()}, {@link #server()}, the {@link #enqueueChannel()} and the
 * {@link #delayedChannel()}, all on one {@link ResqueConnection}. Nothing outside this
 * package talks to Redis.
 */
public final class ResqueRedis implements AutoCloseable {

	/** The largest payload a worker takes to run by default: 10 MB. */
	public static final long DEFAULT_MAX_PAYLOAD_SIZE = 10L * 1024 * 1024;

	private final ResqueConnection connection;

	private final ResqueKeys keys;

	private final JobStore jobs;

	private final QueueStore queues;

	private final WorkerStore workers;

	private final PoolStore pools;

	private final FailureStore failures;

	private final ServerInfo server;

	private final DelayedStore delayed;

	private final MasterLockStore masterLock;

	private final DelayedChannel delayedChannel;

	private final ScheduleStore schedules;

	private final EnqueueChannel enqueueChannel;

	private final FleetStore fleet;

	private final KeyspaceChannel keyspaceChannel;

	private final CheckpointStore checkpoints;

	private final CancelStore cancels;

	private final LimitStore limits;

	private final UniqueStore unique;

	private final OutboxStore outbox;

	/**
	 * Creates the stores of a namespace on a connection.
	 * @param connection the connection
	 * @param keys the key names of the namespace
	 */
	public ResqueRedis(ResqueConnection connection, ResqueKeys keys) {
		this(connection, keys, DEFAULT_MAX_PAYLOAD_SIZE);
	}

	/**
	 * Creates the stores of a namespace on a connection.
	 * @param connection the connection
	 * @param keys the key names of the namespace
	 * @param maxPayloadSize the largest payload, in bytes, a worker takes to run; a
	 * larger one becomes a failure entry without being decoded
	 */
	public ResqueRedis(ResqueConnection connection, ResqueKeys keys, long maxPayloadSize) {
		if (maxPayloadSize < 1) {
			throw new IllegalArgumentException(
					"the maximum payload size must be at least 1 byte, not " + maxPayloadSize);
		}
		this.connection = connection;
		this.keys = keys;
		this.server = new ServerInfo(connection, keys);
		this.jobs = new JobStore(connection, keys, maxPayloadSize);
		this.queues = new QueueStore(connection, keys);
		this.workers = new WorkerStore(connection, keys, this.server);
		this.pools = new PoolStore(connection, keys, this.server);
		this.failures = new FailureStore(connection, keys);
		this.delayed = new DelayedStore(connection, keys);
		this.masterLock = new MasterLockStore(connection, keys);
		this.delayedChannel = new DelayedChannel(connection, keys);
		this.schedules = new ScheduleStore(connection, keys);
		this.enqueueChannel = new EnqueueChannel(connection, keys);
		this.fleet = new FleetStore(connection, keys);
		this.keyspaceChannel = new KeyspaceChannel(connection, keys);
		this.checkpoints = new CheckpointStore(connection, keys);
		this.cancels = new CancelStore(connection, keys);
		this.limits = new LimitStore(connection, keys);
		this.unique = new UniqueStore(connection, keys);
		this.outbox = new OutboxStore(connection, keys);
	}

	/**
	 * @param queue a queue name
	 * @return a waiter for jobs on that queue, on a connection of its own
	 */
	public QueueWaiter queueWaiter(String queue) {
		return new QueueWaiter(this.connection, this.keys, queue);
	}

	/**
	 * @return the checkpoints (cursors and progress) of long jobs
	 */
	public CheckpointStore checkpoints() {
		return this.checkpoints;
	}

	/**
	 * @return the slots and windows of fleet-wide limits
	 */
	public LimitStore limits() {
		return this.limits;
	}

	/**
	 * @return the cancel requests of running jobs
	 */
	public CancelStore cancels() {
		return this.cancels;
	}

	/**
	 * @return the locks of unique jobs
	 */
	public UniqueStore unique() {
		return this.unique;
	}

	/**
	 * @return the deliveries of the transactional outbox
	 */
	public OutboxStore outbox() {
		return this.outbox;
	}

	/**
	 * @return the keyspace events of list pushes
	 */
	public KeyspaceChannel keyspaceChannel() {
		return this.keyspaceChannel;
	}

	/**
	 * @return the fleet's overrides and the pools' self-descriptions
	 */
	public FleetStore fleet() {
		return this.fleet;
	}

	/**
	 * @return the key names of the namespace
	 */
	public ResqueKeys keys() {
		return this.keys;
	}

	/**
	 * The connection itself, for the stores of this package only: every Redis command
	 * outside it goes through a store.
	 * @return the connection
	 */
	ResqueConnection connection() {
		return this.connection;
	}

	/**
	 * @return how long a command may take before it fails (the connection's timeout)
	 */
	public Duration timeout() {
		return this.connection.timeout();
	}

	/**
	 * @return what is known about the connection, without blocking
	 */
	public Connectivity connectivity() {
		return this.connection.connectivity();
	}

	/**
	 * @return jobs: enqueue, take with outcomes, requeue
	 */
	public JobStore jobs() {
		return this.jobs;
	}

	/**
	 * @return the queues of Resque
	 */
	public QueueStore queues() {
		return this.queues;
	}

	/**
	 * @return the worker records of Resque
	 */
	public WorkerStore workers() {
		return this.workers;
	}

	/**
	 * @return the pools' liveness records
	 */
	public PoolStore pools() {
		return this.pools;
	}

	/**
	 * @return the failure list of Resque
	 */
	public FailureStore failures() {
		return this.failures;
	}

	/**
	 * @return resque-scheduler's delayed queue
	 */
	public DelayedStore delayed() {
		return this.delayed;
	}

	/**
	 * @return resque-scheduler's master lock
	 */
	public MasterLockStore masterLock() {
		return this.masterLock;
	}

	/**
	 * @return resque-scheduler's recurring schedules
	 */
	public ScheduleStore schedules() {
		return this.schedules;
	}

	/**
	 * @return the wake-up channel of delays
	 */
	public DelayedChannel delayedChannel() {
		return this.delayedChannel;
	}

	/**
	 * @return the server's clock and facts
	 */
	public ServerInfo server() {
		return this.server;
	}

	/**
	 * @return the wake-up channel of enqueues
	 */
	public EnqueueChannel enqueueChannel() {
		return this.enqueueChannel;
	}

	/**
	 * Closes the connections; see {@link ResqueConnection#close()}.
	 */
	@Override
	public void close() {
		this.enqueueChannel.close();
		this.delayedChannel.close();
		this.connection.close();
	}

	/** Lets the connections open again after {@link #close()}. */
	public void reopen() {
		this.connection.reopen();
	}

}
