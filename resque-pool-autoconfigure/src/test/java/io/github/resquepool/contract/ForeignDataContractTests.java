package io.github.resquepool.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.job.JobArgumentException;
import io.github.resquepool.job.UnknownJobException;
import io.github.resquepool.pool.ResquePool;
import io.github.resquepool.resque.InvalidPayloadException;

import static io.github.resquepool.contract.ContractSupport.FAILED;
import static io.github.resquepool.contract.ContractSupport.HEARTBEATS;
import static io.github.resquepool.contract.ContractSupport.QUEUES;
import static io.github.resquepool.contract.ContractSupport.WORKERS;
import static io.github.resquepool.contract.ContractSupport.get;
import static io.github.resquepool.contract.ContractSupport.json;
import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.push;
import static io.github.resquepool.contract.ContractSupport.pushRecord;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Foreign data in Redis never crashes the pool (wire contract section 18, "Survive
 * foreign data"): each case is followed by a good job that must run.
 */
@ExtendWith(RedisExtension.class)
class ForeignDataContractTests {

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.groups.main.queues=*", "resque.pool.groups.main.count=1");

	/**
	 * Pushes the bad element to {@code a_bad} (taken first by a {@code *} worker) and a
	 * good job to {@code z_good}, starts the pool and waits until the good job ran.
	 * @return the raw text of the one failure entry
	 */
	private String failureBeforeAGoodJob(TestRedis redis, Consumer<StatefulRedisConnection<String, String>> pushBad) {
		String[] entry = new String[1];
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().sadd(QUEUES, "a_bad");
			pushBad.accept(client);
			pushRecord(client, "z_good", "good");
		}
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				String worker = ContractSupport.onlyWorker(client);
				eventually(() -> assertThat(context.getBean(ContractJobs.class).records).containsExactly("good"));
				assertThat(context.getBean(ResquePool.class).isRunning()).isTrue();
				assertThat(smembers(client, WORKERS)).containsExactly(worker);
				assertThat(llen(client, "resque:queue:a_bad")).isZero();
				assertThat(llen(client, FAILED)).isEqualTo(1);
				// The good job's outcome is recorded with its worker's next turn.
				eventually(() -> assertThat(get(client, "resque:stat:processed")).isEqualTo("2"));
				entry[0] = client.sync().lindex(FAILED, 0);
				assertThat(json(entry[0]).get("worker").asString()).isEqualTo(worker);
				assertThat(json(entry[0]).get("queue").asString()).isEqualTo("a_bad");
			}
		});
		return entry[0];
	}

	private static void pushBad(StatefulRedisConnection<String, String> client, String payload) {
		client.sync().rpush("resque:queue:a_bad", payload);
	}

	@Test
	void nonJsonPayloadBecomesAFailureWithThePayloadAsAJsonString(TestRedis redis) {
		String raw = failureBeforeAGoodJob(redis, (client) -> pushBad(client, "not json"));
		JsonNode entry = json(raw);
		assertThat(entry.get("exception").asString()).isEqualTo(InvalidPayloadException.class.getName());
		assertThat(entry.get("payload").isString()).isTrue();
		assertThat(entry.get("payload").asString()).isEqualTo("not json");
		assertThat(entry.get("error").asString()).isNotEmpty();
	}

	@Test
	void payloadWithoutClassBecomesAFailure(TestRedis redis) {
		JsonNode entry = json(failureBeforeAGoodJob(redis, (client) -> pushBad(client, "{\"args\":[1]}")));
		assertThat(entry.get("exception").asString()).isEqualTo(InvalidPayloadException.class.getName());
		assertThat(entry.get("payload")).isEqualTo(json("{\"args\":[1]}"));
	}

	@Test
	void payloadWhoseArgsAreAnObjectBecomesAFailure(TestRedis redis) {
		JsonNode entry = json(
				failureBeforeAGoodJob(redis, (client) -> pushBad(client, "{\"class\":\"X\",\"args\":{\"a\":1}}")));
		assertThat(entry.get("exception").asString()).isEqualTo(InvalidPayloadException.class.getName());
		assertThat(entry.get("error").asString()).contains("args");
	}

	@Test
	void unknownClassNameFailsWithoutLoadingOrInvokingAnything(TestRedis redis) {
		JsonNode entry = json(failureBeforeAGoodJob(redis,
				(client) -> pushBad(client, "{\"class\":\"java.lang.Runtime\",\"args\":[\"exit\"]}")));
		assertThat(entry.get("exception").asString()).isEqualTo(UnknownJobException.class.getName());
		assertThat(entry.get("error").asString()).contains("java.lang.Runtime");
	}

	@Test
	void classNameOfAClassOnTheClassPathIsNeverInitializedNorInvoked(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			push(client, "a_bad", "{\"class\":\"" + Trap.class.getName() + "\",\"args\":[]}");
			pushRecord(client, "z_good", "good");
		}
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				eventually(() -> assertThat(context.getBean(ContractJobs.class).records).containsExactly("good"));
				JsonNode entry = json(client.sync().lindex(FAILED, 0));
				assertThat(entry.get("exception").asString()).isEqualTo(UnknownJobException.class.getName());
			}
		});
		assertThat(TrapRecorder.INITIALIZED).isFalse();
		assertThat(TrapRecorder.PERFORMED).isFalse();
	}

	@Test
	void queueKeysThatAreNoListsAreSkippedAndOtherQueuesStillWorked(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().sadd(QUEUES, "a_string", "a_hash");
			client.sync().set("resque:queue:a_string", "not a list");
			client.sync().hset("resque:queue:a_hash", "field", "value");
		}
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				pushRecord(client, "z_good", "good-1");
				eventually(() -> assertThat(context.getBean(ContractJobs.class).records).containsExactly("good-1"));
				pushRecord(client, "z_good", "good-2");
				eventually(() -> assertThat(context.getBean(ContractJobs.class).records).containsExactly("good-1",
						"good-2"));
				assertThat(context.getBean(ResquePool.class).isRunning()).isTrue();
				// left as they were
				assertThat(get(client, "resque:queue:a_string")).isEqualTo("not a list");
				assertThat(client.sync().hget("resque:queue:a_hash", "field")).isEqualTo("value");
				assertThat(llen(client, FAILED)).isZero();
			}
		});
	}

	@Test
	void unparseableWorkerIdsAndHeartbeatsLeaveThePoolRunning(TestRedis redis) {
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			client.sync().sadd(WORKERS, "h", "h:4242");
			client.sync().hset(HEARTBEATS, "h", "1795358091");
			client.sync().hset(HEARTBEATS, "h:4242", "");
			client.sync().hset(HEARTBEATS, "other:1:q", "yesterday");
		}
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				pushRecord(client, "z_good", "good");
				eventually(() -> assertThat(context.getBean(ContractJobs.class).records).containsExactly("good"));
				assertThat(context.getBean(ResquePool.class).isRunning()).isTrue();
				assertThat(smembers(client, WORKERS)).contains("h", "h:4242").hasSize(3);
				assertThat(client.sync().hget(HEARTBEATS, "h")).isEqualTo("1795358091");
				assertThat(client.sync().hget(HEARTBEATS, "other:1:q")).isEqualTo("yesterday");
			}
		});
	}

	@Test
	void invalidUtf8PayloadBecomesAFailureEntryThatIsValidUtf8Json(TestRedis redis) {
		byte[] prefix = "{\"class\":\"Contract::Record\",\"args\":[\"".getBytes(StandardCharsets.UTF_8);
		byte[] suffix = "\"]}".getBytes(StandardCharsets.UTF_8);
		byte[] payload = ByteBuffer.allocate(prefix.length + 3 + suffix.length)
			.put(prefix)
			.put(new byte[] { (byte) 0xff, (byte) 0xfe, (byte) 0xc3 })
			.put(suffix)
			.array();
		failureBeforeAGoodJob(redis, (client) -> {
			try (StatefulRedisConnection<byte[], byte[]> binary = redis.connectBytes()) {
				binary.sync().rpush(bytes("resque:queue:a_bad"), payload);
			}
		});
		try (StatefulRedisConnection<byte[], byte[]> client = redis.connectBytes()) {
			// ran in failureBeforeAGoodJob; FLUSHALL happens only before the next test
			byte[] stored = client.sync().lindex(bytes(FAILED), 0);
			String text = strictUtf8(stored);
			JsonNode entry = json(text);
			assertThat(entry.get("exception").asString()).isEqualTo(InvalidPayloadException.class.getName());
			assertThat(entry.get("error").asString()).contains("UTF-8");
		}
	}

	@Test
	void threeMegabytePayloadIsProcessed(TestRedis redis) {
		String big = "x".repeat(3 * 1024 * 1024);
		try (StatefulRedisConnection<String, String> client = redis.connect()) {
			push(client, "a_big", ContractSupport.payload("Contract::Big", "[\"" + big + "\"]"));
			pushRecord(client, "z_good", "good");
		}
		this.runner.run((context) -> {
			ContractJobs jobs = context.getBean(ContractJobs.class);
			eventually(() -> assertThat(jobs.records).containsExactly("good"));
			assertThat(jobs.bigLengths).containsExactly(big.length());
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				assertThat(llen(client, FAILED)).isZero();
			}
		});
	}

	@Test
	void deeplyNestedJsonBecomesAFailureAndThePoolGoesOn(TestRedis redis) {
		String nested = "[".repeat(2000) + "]".repeat(2000);
		String raw = failureBeforeAGoodJob(redis,
				(client) -> pushBad(client, "{\"class\":\"Contract::Record\",\"args\":[" + nested + "]}"));
		Matcher exception = Pattern.compile("\"exception\":\"([^\"]+)\"").matcher(raw);
		assertThat(exception.find()).as(raw.substring(0, Math.min(200, raw.length()))).isTrue();
		assertThat(exception.group(1)).isIn(InvalidPayloadException.class.getName(),
				JobArgumentException.class.getName());
	}

	@Test
	void missingArgumentFailsWithAJobArgumentExceptionNamingTheProblem(TestRedis redis) {
		JsonNode entry = json(failureBeforeAGoodJob(redis,
				(client) -> pushBad(client, "{\"class\":\"Contract::Record\",\"args\":[]}")));
		assertThat(entry.get("exception").asString()).isEqualTo(JobArgumentException.class.getName());
		assertThat(entry.get("error").asString()).contains("Contract::Record").contains("1 argument").contains("0");
	}

	@Test
	void extraArgumentFailsWithAJobArgumentException(TestRedis redis) {
		JsonNode entry = json(failureBeforeAGoodJob(redis,
				(client) -> pushBad(client, "{\"class\":\"Contract::Count\",\"args\":[1,2]}")));
		assertThat(entry.get("exception").asString()).isEqualTo(JobArgumentException.class.getName());
		assertThat(entry.get("error").asString()).contains("Contract::Count").contains("2");
	}

	@Test
	void wrongArgumentTypeFailsWithAJobArgumentExceptionNamingTheValue(TestRedis redis) {
		JsonNode entry = json(failureBeforeAGoodJob(redis,
				(client) -> pushBad(client, "{\"class\":\"Contract::Count\",\"args\":[\"abc\"]}")));
		assertThat(entry.get("exception").asString()).isEqualTo(JobArgumentException.class.getName());
		assertThat(entry.get("error").asString()).contains("Contract::Count")
			.contains("argument 1")
			.contains("\"abc\"");
	}

	@Test
	void fractionForAWholeNumberFailsRatherThanBeingTruncated(TestRedis redis) {
		JsonNode entry = json(failureBeforeAGoodJob(redis,
				(client) -> pushBad(client, "{\"class\":\"Contract::Count\",\"args\":[1.5]}")));
		assertThat(entry.get("exception").asString()).isEqualTo(JobArgumentException.class.getName());
		assertThat(entry.get("error").asString()).contains("1.5");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String strictUtf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (java.nio.charset.CharacterCodingException ex) {
			throw new AssertionError("the failure entry is not valid UTF-8", ex);
		}
	}

	/** Flags set by {@link Trap}; the test reads these, never {@code Trap} itself. */
	static final class TrapRecorder {

		static final AtomicBoolean INITIALIZED = new AtomicBoolean();

		static final AtomicBoolean PERFORMED = new AtomicBoolean();

		private TrapRecorder() {
		}

	}

	/** A class whose name a payload uses: it must never be initialized or invoked. */
	static final class Trap {

		static {
			TrapRecorder.INITIALIZED.set(true);
		}

		private Trap() {
		}

		static void perform(Object... args) {
			TrapRecorder.PERFORMED.set(true);
		}

	}

}
