package io.github.resquepool.scheduler;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.scheduler.SchedulerTestSupport.SCHEDULE;
import static io.github.resquepool.scheduler.SchedulerTestSupport.lrange;
import static io.github.resquepool.scheduler.SchedulerTestSupport.now;
import static io.github.resquepool.scheduler.SchedulerTestSupport.rubyDelayedPush;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries that stop or spin a Ruby scheduler (contract 3.4, 9.2) go to Resque's
 * {@code failed} list with a clear error, and the pool's scheduler goes on.
 */
@ExtendWith(RedisExtension.class)
class DelayedBadEntriesTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void badEntriesGoToTheFailedListAndTheGoodOnesAroundThemMove(TestRedis redis) {
		SchedulerTestSupport.runner().run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				long bucket = now(raw) - 5;
				// resque-scheduler's delayed_push is three commands (RPUSH, SADD, ZADD);
				// a
				// scheduler that moves this past bucket between another item's RPUSH and
				// its
				// SADD would leave that item's timestamps: entry behind, with Ruby's
				// scheduler
				// as with ours. The setup goes in as one transaction so that the moves,
				// not
				// that race, are what the test checks.
				raw.sync().multi();
				rubyDelayedPush(raw, bucket, "{\"class\":\"Good\",\"args\":[1],\"queue\":\"q\"}");
				rubyDelayedPush(raw, bucket, "not json {");
				rubyDelayedPush(raw, bucket, "{\"class\":\"NoQueue\",\"args\":[]}");
				rubyDelayedPush(raw, bucket, "{\"args\":[],\"queue\":\"q\"}");
				rubyDelayedPush(raw, bucket, "[1,2]");
				rubyDelayedPush(raw, bucket, "{\"class\":\"Good\",\"args\":{\"k\":1},\"queue\":\"q\",\"jid\":\"x\"}");
				rubyDelayedPush(raw, bucket, "{\"class\":\"Good\",\"queue\":\"q\"}");
				// a member that is not an integer makes a Ruby scheduler spin
				String fraction = (bucket - 1) + ".5";
				raw.sync().rpush("resque:delayed:" + fraction, "{\"class\":\"Frac\",\"args\":[],\"queue\":\"q\"}");
				raw.sync().zadd(SCHEDULE, Double.parseDouble(fraction), fraction);
				// a bucket key that is not a list
				raw.sync().set("resque:delayed:" + (bucket - 2), "x");
				raw.sync().zadd(SCHEDULE, bucket - 2, Long.toString(bucket - 2));
				// a queue key that is not a list
				rubyDelayedPush(raw, bucket, "{\"class\":\"Good\",\"args\":[],\"queue\":\"strq\"}");
				raw.sync().set("resque:queue:strq", "x");
				raw.sync().exec();
				eventually(Duration.ofSeconds(10), () -> assertThat(raw.sync().zcard(SCHEDULE)).isEqualTo(0L));
				assertThat(lrange(raw, "resque:queue:q")).containsExactly("{\"class\":\"Good\",\"args\":[1]}",
						"{\"class\":\"Good\",\"args\":[{\"k\":1}]}", "{\"class\":\"Good\",\"args\":[]}");
				List<String> failed = lrange(raw, "resque:failed");
				assertThat(failed).hasSize(6);
				for (String entry : failed) {
					JsonNode node = JSON.readTree(entry);
					assertThat(node.get("exception").asString()).isEqualTo("ResquePool::InvalidDelayedItem");
					assertThat(node.get("worker").isString()).isTrue();
					assertThat(node.get("backtrace").isArray()).isTrue();
					assertThat(node.get("failed_at").asString())
						.matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d .+");
				}
				assertThat(failed.stream().map((e) -> JSON.readTree(e).get("error").asString()))
					.anyMatch((e) -> e.contains("not valid JSON"))
					.anyMatch((e) -> e.contains("no \"queue\""))
					.anyMatch((e) -> e.contains("no \"class\""))
					.anyMatch((e) -> e.contains("not a JSON object"))
					.anyMatch((e) -> e.contains("not an integer"))
					.anyMatch((e) -> e.contains("queue 'strq' is not a list"));
				assertThat(failed.stream()
					.map((e) -> JSON.readTree(e).get("payload"))
					.filter(JsonNode::isString)
					.map(JsonNode::asString)).containsExactlyInAnyOrder("not json {", "[1,2]");
				assertThat(raw.sync().keys("resque:timestamps:*")).isEqualTo(List.of());
				// and it goes on
				rubyDelayedPush(raw, now(raw), "{\"class\":\"After\",\"args\":[],\"queue\":\"q\"}");
				eventually(Duration.ofSeconds(10),
						() -> assertThat(lrange(raw, "resque:queue:q")).contains("{\"class\":\"After\",\"args\":[]}"));
			}
		});
	}

}
