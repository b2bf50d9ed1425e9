package io.github.resquepool.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.JsonNodeFactory;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.scheduler.SchedulerTestSupport.lrange;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recurring schedules: configured ones fire through the lock holder and are published
 * where resque-web and Ruby read them; Ruby-persisted ones run too; invalid ones fail the
 * start.
 */
@ExtendWith(RedisExtension.class)
class RecurringScheduleTests {

	private static final String PERSISTED = "resque:persistent_schedules";

	@Test
	void aConfiguredEveryScheduleFiresAndIsPublishedForResqueWeb(TestRedis redis) {
		SchedulerTestSupport.runner()
			.withPropertyValues("resque.scheduler.schedules.tick.every=1s",
					"resque.scheduler.schedules.tick.class=Tick", "resque.scheduler.schedules.tick.queue=rec",
					"resque.scheduler.schedules.tick.args=[1, \"a/b\", 1.0E-5]",
					"resque.scheduler.schedules.tick.description=Every second")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					eventually(Duration.ofSeconds(10),
							() -> assertThat(lrange(raw, "resque:queue:rec")).hasSizeGreaterThan(1)
								.allMatch("{\"class\":\"Tick\",\"args\":[1,\"a/b\",1.0e-05]}"::equals));
					assertThat(raw.sync().hget(PERSISTED, "tick")).isEqualTo(
							"{\"every\":\"1s\",\"class\":\"Tick\",\"queue\":\"rec\",\"args\":[1,\"a/b\",1.0e-05],\"description\":\"Every second\"}");
					assertThat(raw.sync().hget("resque:delayed:last_enqueued_at", "tick"))
						.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
				}
			});
	}

	@Test
	void aSixFieldCronWithAYamlStyleArgumentListFiresEverySecond(TestRedis redis) {
		SchedulerTestSupport.runner()
			.withPropertyValues("resque.scheduler.schedules.cron.cron=* * * * * * UTC",
					"resque.scheduler.schedules.cron.class=Cron", "resque.scheduler.schedules.cron.queue=rec",
					"resque.scheduler.schedules.cron.args[0]=x", "resque.scheduler.schedules.cron.args[1]=y")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					eventually(Duration.ofSeconds(10), () -> assertThat(lrange(raw, "resque:queue:rec"))
						.contains("{\"class\":\"Cron\",\"args\":[\"x\",\"y\"]}"));
					assertThat(raw.sync().hget(PERSISTED, "cron")).isEqualTo(
							"{\"cron\":\"* * * * * * UTC\",\"class\":\"Cron\",\"queue\":\"rec\",\"args\":[\"x\",\"y\"]}");
				}
			});
	}

	@Test
	void aScheduleRubyPersistedRunsAndAHashArgumentIsWrappedAsRubyDoes(TestRedis redis) {
		SchedulerTestSupport.runner().run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				// the bytes Ruby's set_schedule wrote (captured/scheduler/schedules),
				// with a queue and a 1 s interval
				raw.sync()
					.hset(PERSISTED, "persisted_every",
							"{\"every\":[\"1s\",{\"first_in\":\"0s\"}],\"class\":\"Interop::Sched\",\"queue\":\"sched\",\"args\":{\"k\":\"v\"}}");
				raw.sync().sadd("resque:schedules_changed", "persisted_every");
				eventually(Duration.ofSeconds(10), () -> assertThat(lrange(raw, "resque:queue:sched"))
					.contains("{\"class\":\"Interop::Sched\",\"args\":[{\"k\":\"v\"}]}"));
				ResqueScheduler scheduler = context.getBean(ResqueScheduler.class);
				assertThat(scheduler.schedules().names()).contains("persisted_every");
				// removed as Ruby's remove_schedule does: it stops
				raw.sync().hdel(PERSISTED, "persisted_every");
				raw.sync().sadd("resque:schedules_changed", "persisted_every");
				eventually(Duration.ofSeconds(5),
						() -> assertThat(scheduler.schedules().names()).doesNotContain("persisted_every"));
			}
		});
	}

	@Test
	void aRubyScheduleThatWouldStopARubySchedulerIsSkipped(TestRedis redis) {
		SchedulerTestSupport.runner().run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				raw.sync().hset(PERSISTED, "bad_cron", "{\"cron\":\"every day at 3\",\"class\":\"A\",\"queue\":\"q\"}");
				raw.sync().hset(PERSISTED, "not_json", "{oops");
				raw.sync().hset(PERSISTED, "good", "{\"every\":\"1s\",\"class\":\"Good\",\"queue\":\"q\"}");
				raw.sync().sadd("resque:schedules_changed", "bad_cron", "not_json", "good");
				eventually(Duration.ofSeconds(10),
						() -> assertThat(lrange(raw, "resque:queue:q")).contains("{\"class\":\"Good\",\"args\":[]}"));
				assertThat(context.getBean(ResqueScheduler.class).schedules().names()).containsExactly("good");
			}
		});
	}

	@Test
	void aScheduleTooLargeForADurationIsSkippedAndTheOthersFire(TestRedis redis) {
		SchedulerTestSupport.runner()
			.withPropertyValues("resque.scheduler.schedules.tick.every=1s",
					"resque.scheduler.schedules.tick.class=Configured", "resque.scheduler.schedules.tick.queue=q")
			.run((context) -> {
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					for (String every : List.of("300000000000y", "9223372036854775807s", "P300000000000Y",
							"[\"1s\",{\"first_in\":\"300000000000y\"}]")) {
						String value = every.startsWith("[") ? every : "\"" + every + "\"";
						raw.sync()
							.hset(PERSISTED, "huge " + every,
									"{\"every\":" + value + ",\"class\":\"Huge\",\"queue\":\"q\"}");
						raw.sync().sadd("resque:schedules_changed", "huge " + every);
					}
					raw.sync().hset(PERSISTED, "good", "{\"every\":\"1s\",\"class\":\"Good\",\"queue\":\"q\"}");
					raw.sync().sadd("resque:schedules_changed", "good");
					eventually(Duration.ofSeconds(10), () -> assertThat(lrange(raw, "resque:queue:q"))
						.contains("{\"class\":\"Good\",\"args\":[]}", "{\"class\":\"Configured\",\"args\":[]}"));
					raw.sync().del("resque:queue:q");
					eventually(Duration.ofSeconds(10), () -> assertThat(lrange(raw, "resque:queue:q"))
						.contains("{\"class\":\"Good\",\"args\":[]}", "{\"class\":\"Configured\",\"args\":[]}"));
					assertThat(context.getBean(ResqueScheduler.class).schedules().names()).containsExactly("good",
							"tick");
				}
			});
	}

	@Test
	void schedulesChangedAtRunTimeArePersistedAsRubysSetScheduleAndRemoveSchedule(TestRedis redis) {
		SchedulerTestSupport.runner().run((context) -> {
			ResqueScheduler scheduler = context.getBean(ResqueScheduler.class);
			eventually(Duration.ofSeconds(5), () -> assertThat(scheduler.isMaster()).isTrue());
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				scheduler.schedules()
					.set(ScheduleEntry.of("dyn", null, JsonNodeFactory.instance.stringNode("1s"), "Dyn", "q", null,
							null));
				assertThat(raw.sync().hget(PERSISTED, "dyn"))
					.isEqualTo("{\"every\":\"1s\",\"class\":\"Dyn\",\"queue\":\"q\",\"args\":[]}");
				eventually(Duration.ofSeconds(10),
						() -> assertThat(lrange(raw, "resque:queue:q")).contains("{\"class\":\"Dyn\",\"args\":[]}"));
				scheduler.schedules().remove("dyn");
				assertThat(raw.sync().hexists(PERSISTED, "dyn")).isFalse();
				assertThat(scheduler.schedules().names()).doesNotContain("dyn");
			}
		});
	}

	@Test
	void onlyTheLockHolderFires(TestRedis redis) {
		SchedulerTestSupport.runner().run((master) -> {
			ResqueScheduler one = master.getBean(ResqueScheduler.class);
			eventually(Duration.ofSeconds(5), () -> assertThat(one.isMaster()).isTrue());
			SchedulerTestSupport.runner()
				.withPropertyValues("resque.scheduler.schedules.local.every=1s",
						"resque.scheduler.schedules.local.class=L", "resque.scheduler.schedules.local.queue=local",
						"resque.scheduler.schedules.local.publish=false")
				.run((child) -> {
					Thread.sleep(2500);
					try (StatefulRedisConnection<String, String> raw = redis.connect()) {
						assertThat(raw.sync().llen("resque:queue:local")).isEqualTo(0L);
						assertThat(raw.sync().hexists(PERSISTED, "local")).isFalse();
					}
				});
		});
	}

	@Test
	void anInvalidEntryFailsTheStartWithAReportNamingIt() {
		SchedulerTestSupport.runner()
			.withPropertyValues("resque.scheduler.schedules.nightly.cron=every day at 3",
					"resque.scheduler.schedules.nightly.class=Nightly", "resque.scheduler.schedules.nightly.queue=q")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasRootCauseInstanceOf(InvalidScheduleException.class)
				.rootCause()
				.hasMessageContaining("'nightly'")
				.hasMessageContaining("every day at 3"));
		SchedulerTestSupport.runner()
			.withPropertyValues("resque.scheduler.schedules.noqueue.every=1m",
					"resque.scheduler.schedules.noqueue.class=A")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasRootCauseInstanceOf(InvalidScheduleException.class)
				.rootCause()
				.hasMessageContaining("noqueue")
				.hasMessageContaining("queue"));
	}

	@Test
	void rubysPersistedConfigReadsBackToTheSameBytes() {
		String captured = "{\"cron\":\"*/5 * * * *\",\"class\":\"Interop::Sched\",\"queue\":\"sched\",\"args\":[42,\"EUR\",{\"a\":1}],\"description\":\"persisted\"}";
		assertThat(ScheduleEntry.fromJson("persisted_cron", captured).toJson()).isEqualTo(captured);
	}

	@Test
	void cronDayOfMonthAndDayOfWeekAreOredAsFugitDoes() {
		ScheduleEntry entry = ScheduleEntry.fromJson("f13",
				"{\"cron\":\"0 0 13 * fri UTC\",\"class\":\"A\",\"queue\":\"q\"}");
		Instant first = entry.first(ZonedDateTime.of(2024, 9, 6, 0, 0, 0, 0, ZoneOffset.UTC).toInstant());
		Instant second = entry.next(first, first);
		assertThat(List.of(first, second)).containsExactly(
				ZonedDateTime.of(2024, 9, 13, 0, 0, 0, 0, ZoneOffset.UTC).toInstant(),
				ZonedDateTime.of(2024, 9, 20, 0, 0, 0, 0, ZoneOffset.UTC).toInstant());
	}

}
