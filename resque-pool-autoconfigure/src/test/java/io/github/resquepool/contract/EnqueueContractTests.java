package io.github.resquepool.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.ResquePool;

import static io.github.resquepool.contract.ContractSupport.QUEUES;
import static io.github.resquepool.contract.ContractSupport.WORKERS;
import static io.github.resquepool.contract.ContractSupport.during;
import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.contract.ContractSupport.smembers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@link ResqueClient} writes, byte for byte as Ruby's {@code Resque.enqueue_to},
 * and what its dequeue removes (wire contract sections 3 and 4). The pool is disabled
 * here so that nothing consumes the jobs.
 */
@ExtendWith(RedisExtension.class)
class EnqueueContractTests {

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.enabled=false");

	@Test
	void enqueueWritesCompactClassAndArgsAndAddsTheQueueToTheQueuesSet(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.enqueue("mail", "Mailers::Welcome", 42, "en")).isEqualTo(1);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(lrange(raw, "resque:queue:mail"))
					.containsExactly("{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"]}");
				assertThat(smembers(raw, QUEUES)).containsExactly("mail");
			}
		});
	}

	@Test
	void enqueueAppendsAtTheTailSoQueuesAreFifo(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			client.enqueue("mail", "A", 1);
			assertThat(client.enqueue("mail", "A", 2)).isEqualTo(2);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(lrange(raw, "resque:queue:mail")).containsExactly("{\"class\":\"A\",\"args\":[1]}",
						"{\"class\":\"A\",\"args\":[2]}");
			}
		});
	}

	@Test
	void enqueueWithoutArgumentsWritesAnEmptyArray(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class).enqueue("q", "Archive");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(lrange(raw, "resque:queue:q")).containsExactly("{\"class\":\"Archive\",\"args\":[]}");
			}
		});
	}

	@Test
	void unicodeArgumentsStayRawUtf8(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class).enqueue("mail", "Mailers::Welcome", "é", "日本", "😀");
			try (StatefulRedisConnection<byte[], byte[]> raw = redis.connectBytes()) {
				byte[] stored = raw.sync().lindex("resque:queue:mail".getBytes(StandardCharsets.UTF_8), 0);
				assertThat(stored).isEqualTo("{\"class\":\"Mailers::Welcome\",\"args\":[\"é\",\"日本\",\"😀\"]}"
					.getBytes(StandardCharsets.UTF_8));
				assertThat(new String(stored, StandardCharsets.US_ASCII)).doesNotContain("\\u");
			}
		});
	}

	@Test
	void nestedMapsAndListsAreCompactAndKeepTheirOrder(TestRedis redis) {
		this.runner.run((context) -> {
			Map<String, Object> options = new LinkedHashMap<>();
			options.put("zeta", 1);
			options.put("alpha", List.of(true, "x"));
			options.put("nested", Map.of("k", 1.5));
			options.put("none", null);
			context.getBean(ResqueClient.class).enqueue("q", "Reports::Build", options, List.of(1, List.of(2, 3)), "s");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(lrange(raw, "resque:queue:q")).containsExactly("{\"class\":\"Reports::Build\",\"args\":["
						+ "{\"zeta\":1,\"alpha\":[true,\"x\"],\"nested\":{\"k\":1.5},\"none\":null},[1,[2,3]],\"s\"]}");
			}
		});
	}

	@Test
	void stringsWithQuotesAndControlCharactersAreEscapedAsJson(TestRedis redis) {
		this.runner.run((context) -> {
			context.getBean(ResqueClient.class).enqueue("q", "A", "say \"hi\"\n\\", "a/b");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(lrange(raw, "resque:queue:q"))
					.containsExactly("{\"class\":\"A\",\"args\":[\"say \\\"hi\\\"\\n\\\\\",\"a/b\"]}");
			}
		});
	}

	/**
	 * Every argument case of {@code interop/ruby/arg_cases.rb} byte for byte as Ruby
	 * Resque 3.0's {@code Resque.enqueue} wrote it
	 * ({@code interop/captured/resque/enqueue/}), floats such as {@code 1.0e-05} and
	 * control characters such as {@code \u001f} included, so that a byte-exact
	 * {@code Resque.dequeue} on either side finds the other's jobs.
	 */
	@Test
	void everyArgumentCaseIsEnqueuedByteForByteAsRubyEnqueuedIt(TestRedis redis) {
		Path captures = Path.of("..", "interop", "captured", "resque", "enqueue");
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			int compared = 0;
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				for (Map.Entry<String, Object[]> argCase : RubyCaptures.argCases().entrySet()) {
					Path captured = captures.resolve(argCase.getKey() + ".json");
					if (Files.exists(captured)) {
						raw.sync().del("resque:queue:interop");
						client.enqueue("interop", "Interop::Plain", argCase.getValue());
						assertThat(lrange(raw, "resque:queue:interop")).as(argCase.getKey())
							.containsExactly(RubyCaptures.read(captured));
						compared++;
					}
				}
			}
			assertThat(compared).as("argument cases with a Ruby capture").isGreaterThanOrEqualTo(14);
		});
	}

	@Test
	void enqueueRefusesAGlobOrAListInsteadOfAQueueName(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			for (String queue : List.of("*", "a,b", "!a", "a:b", "a b", "")) {
				assertThatIllegalArgumentException().as(queue).isThrownBy(() -> client.enqueue(queue, "A", 1));
			}
			assertThatIllegalArgumentException().isThrownBy(() -> client.enqueue("q", " ", 1));
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(smembers(raw, QUEUES)).isEmpty();
			}
		});
	}

	@Test
	void dequeueWithArgumentsRemovesEveryPayloadEqualToItsEncodingAsRubysLrem(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			client.enqueue("mail", "Mailers::Welcome", 42, "en");
			client.enqueue("mail", "Mailers::Welcome", 43, "en");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				// a Ruby producer's identical payload, and one with an extra key that
				// byte-exact LREM must miss
				raw.sync().rpush("resque:queue:mail", "{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"]}");
				raw.sync()
					.rpush("resque:queue:mail", "{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"],\"id\":\"j-1\"}");
				assertThat(client.dequeue("mail", "Mailers::Welcome", 42, "en")).isEqualTo(2);
				assertThat(lrange(raw, "resque:queue:mail")).containsExactly(
						"{\"class\":\"Mailers::Welcome\",\"args\":[43,\"en\"]}",
						"{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"],\"id\":\"j-1\"}");
			}
		});
	}

	@Test
	void dequeueWithoutArgumentsRemovesEveryJobOfTheClass(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			client.enqueue("mail", "Mailers::Welcome", 42, "en");
			client.enqueue("mail", "Other", 1);
			client.enqueue("mail", "Mailers::Welcome", 43);
			assertThat(client.dequeue("mail", "Mailers::Welcome")).isEqualTo(2);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(lrange(raw, "resque:queue:mail")).containsExactly("{\"class\":\"Other\",\"args\":[1]}");
			}
		});
	}

	@Test
	void withThePoolDisabledNothingIsConsumedAndNoWorkerRegisters(TestRedis redis) {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ResquePool.class);
			context.getBean(ResqueClient.class).enqueue("mail", "Contract::Record", "x");
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				raw.sync().sadd(QUEUES, "raw");
				raw.sync().rpush("resque:queue:raw", "{\"class\":\"Contract::Record\",\"args\":[\"y\"]}");
				during(Duration.ofMillis(1500), () -> {
					assertThat(lrange(raw, "resque:queue:mail")).hasSize(1);
					assertThat(lrange(raw, "resque:queue:raw")).hasSize(1);
				});
				assertThat(smembers(raw, WORKERS)).isEmpty();
				assertThat(context.getBean(ContractJobs.class).records).isEmpty();
			}
		});
	}

}
