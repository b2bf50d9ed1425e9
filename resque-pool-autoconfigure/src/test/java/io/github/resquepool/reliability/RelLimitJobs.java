package io.github.resquepool.reliability;

import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.github.resquepool.embedded.RedisConnections;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueLimit;

/**
 * A job under fleet-wide limits for the fault-injection suite, loaded by
 * {@link PoolProcess} only with {@code --rel.limit-jobs=true} (a limited handler makes a
 * pool run its limits duty, which the other tests of the suite do not expect).
 * <p>
 * {@code Rel::Charge(account, id, millis)} runs under at most {@value #CONCURRENCY} at
 * once and {@value #PER_KEY} per account. It leaves its own marks in Redis, since the
 * pools are separate JVMs and one of them may be killed: as it starts, one script adds
 * the run to the hash {@value #LIVE} ({@code <pid> <id> <n>} → account), counts the runs
 * there, in all and of its account, leaving out those of the JVMs listed in
 * {@value #DEAD} (a test adds a JVM there once it has killed it: its runs provably run no
 * more), keeps the most seen in {@value #MOST} and appends a snapshot to {@value #OVER}
 * when a limit is exceeded; as it ends, it removes the run. The count is exact: a job's
 * marks lie within the time its worker holds the job's slots.
 */
public class RelLimitJobs implements AutoCloseable {

	/** The class name of the limited job. */
	public static final String CHARGE = "Rel::Charge";

	/** How many charges may run at once across the fleet. */
	public static final int CONCURRENCY = 3;

	/** How many charges of one account may run at once across the fleet. */
	public static final int PER_KEY = 1;

	/** Hash of the runs under way: {@code <pid> <id> <n>} → account. */
	public static final String LIVE = "test:limit:live";

	/** Set of the pids of JVMs that were killed. */
	public static final String DEAD = "test:limit:dead";

	/** Hash of the most runs seen at once: {@code all}, and {@code key:<account>}. */
	public static final String MOST = "test:limit:most";

	/** List of the runs under way whenever a start found a limit exceeded. */
	public static final String OVER = "test:limit:over";

	/** List of {@code <pid> <id>} of every run that started. */
	public static final String STARTED = "test:limit:started";

	/** List of {@code <pid> <id>} of every run that ended. */
	public static final String DONE = "test:limit:done";

	private static final String START_SCRIPT = """
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			local dead = {}
			for _, pid in ipairs(redis.call('SMEMBERS', KEYS[2])) do dead[pid] = true end
			local all, same, runs = 0, 0, {}
			local live = redis.call('HGETALL', KEYS[1])
			for i = 1, #live, 2 do
			  if not dead[string.match(live[i], '^(%S+)')] then
			    all = all + 1
			    runs[#runs + 1] = live[i] .. '=' .. live[i + 1]
			    if live[i + 1] == ARGV[2] then same = same + 1 end
			  end
			end
			local function most(field, n)
			  if n > tonumber(redis.call('HGET', KEYS[3], field) or '0') then redis.call('HSET', KEYS[3], field, n) end
			end
			most('all', all)
			most('key:' .. ARGV[2], same)
			if all > tonumber(ARGV[4]) or same > tonumber(ARGV[5]) then
			  redis.call('RPUSH', KEYS[4], table.concat(runs, ', '))
			end
			redis.call('RPUSH', KEYS[5], ARGV[3])
			return all
			""";

	private static final String END_SCRIPT = """
			redis.call('HDEL', KEYS[1], ARGV[1])
			redis.call('RPUSH', KEYS[2], ARGV[2])
			return 1
			""";

	private static final String PID = Long.toString(ProcessHandle.current().pid());

	private final AtomicLong runs = new AtomicLong();

	private final String host;

	private final int port;

	private StatefulRedisConnection<String, String> connection;

	/**
	 * @param host the Redis host the marks go to
	 * @param port its port
	 */
	public RelLimitJobs(String host, int port) {
		this.host = host;
		this.port = port;
	}

	@ResqueJob(CHARGE)
	@ResqueLimit(concurrency = CONCURRENCY)
	@ResqueLimit(concurrency = PER_KEY, key = "#p0")
	void charge(String account, String id, long millis) throws InterruptedException {
		String run = PID + " " + id + " " + this.runs.incrementAndGet();
		String mark = PID + " " + id;
		commands().eval(START_SCRIPT, ScriptOutputType.INTEGER, new String[] { LIVE, DEAD, MOST, OVER, STARTED }, run,
				account, mark, Integer.toString(CONCURRENCY), Integer.toString(PER_KEY));
		Thread.sleep(millis);
		commands().eval(END_SCRIPT, ScriptOutputType.INTEGER, new String[] { LIVE, DONE }, run, mark);
	}

	private synchronized RedisCommands<String, String> commands() {
		if (this.connection == null) {
			this.connection = RedisConnections.open(this.host, this.port);
		}
		return this.connection.sync();
	}

	@Override
	public synchronized void close() {
		if (this.connection != null) {
			this.connection.close();
		}
	}

	/**
	 * The payload of a charge, as Ruby's {@code Resque.enqueue} writes it.
	 * @param account the account, the key of the per-key limit
	 * @param id the job's id
	 * @param millis how long it runs
	 * @return the JSON payload
	 */
	public static String payload(String account, String id, long millis) {
		return "{\"class\":\"" + CHARGE + "\",\"args\":[\"" + account + "\",\"" + id + "\"," + millis + "]}";
	}

}
