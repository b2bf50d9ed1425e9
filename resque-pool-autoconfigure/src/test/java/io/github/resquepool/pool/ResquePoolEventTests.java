package io.github.resquepool.pool;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.MapPropertySource;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.embedded.Eventually.eventually;
import static io.github.resquepool.pool.PoolTestSupport.push;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each transition of a running pool is published as its {@link ResquePoolEvent}, with the
 * pool, the group, the worker id and the details of the transition.
 */
@ExtendWith(RedisExtension.class)
class ResquePoolEventTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner;

	ResquePoolEventTests(TestRedis redis) {
		this.runner = PoolTestSupport.runner(redis)
			.withBean(EventLog.class)
			.withPropertyValues("resque.pool.groups.work.queues=q", "resque.pool.groups.work.count=2",
					"resque.pool.groups.mail.queues=m", "resque.pool.groups.mail.count=1",
					"resque.pool.restart-backoff=200ms");
	}

	@Test
	void everyRegisteredWorkerIsPublishedAsStartedWithItsGroup(TestRedis redis) {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).hasSize(3));
				List<ResquePoolEvent.WorkerStarted> started = log.of(ResquePoolEvent.WorkerStarted.class);
				assertThat(started).extracting(ResquePoolEvent.WorkerStarted::getWorkerId)
					.containsExactlyInAnyOrderElementsOf(workers(client));
				assertThat(started).allSatisfy((event) -> {
					assertThat(event.getPool()).isSameAs(pool);
					assertThat(event.getWorkerId()).endsWith(":" + (event.getGroup().equals("work") ? "q" : "m"));
				});
				assertThat(started).extracting(ResquePoolEvent.WorkerStarted::getGroup)
					.containsExactlyInAnyOrder("work", "work", "mail");
			}
		});
	}

	@Test
	void pauseAndResumeArePublishedForThePoolAndForOneGroup() {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			pool.pause();
			pool.pause("mail");
			pool.resume("mail");
			pool.resume();
			List<ResquePoolEvent> transitions = log.events.stream()
				.filter((event) -> event instanceof ResquePoolEvent.Paused || event instanceof ResquePoolEvent.Resumed)
				.toList();
			assertThat(transitions).hasSize(4).allSatisfy((event) -> assertThat(event.getPool()).isSameAs(pool));
			assertThat(transitions.get(0)).isInstanceOfSatisfying(ResquePoolEvent.Paused.class,
					(paused) -> assertThat(paused.getGroup()).as("group of the pool's pause").isNull());
			assertThat(transitions.get(1)).isInstanceOfSatisfying(ResquePoolEvent.Paused.class,
					(paused) -> assertThat(paused.getGroup()).isEqualTo("mail"));
			assertThat(transitions.get(2)).isInstanceOfSatisfying(ResquePoolEvent.Resumed.class,
					(resumed) -> assertThat(resumed.getGroup()).isEqualTo("mail"));
			assertThat(transitions.get(3)).isInstanceOfSatisfying(ResquePoolEvent.Resumed.class,
					(resumed) -> assertThat(resumed.getGroup()).as("group of the pool's resume").isNull());
		});
	}

	@Test
	void scalingIsPublishedWithBothCountsThenTheWorkersItStartsAndStops(TestRedis redis) {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).hasSize(3));
				Set<String> before = new HashSet<>(workers(client));

				pool.scale("work", 4);
				assertThat(log.of(ResquePoolEvent.Scaled.class)).singleElement().satisfies((scaled) -> {
					assertThat(scaled.getPool()).isSameAs(pool);
					assertThat(scaled.getGroup()).isEqualTo("work");
					assertThat(scaled.getFrom()).isEqualTo(2);
					assertThat(scaled.getTo()).isEqualTo(4);
				});
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).hasSize(5));
				List<ResquePoolEvent.WorkerStarted> startedByScaling = log.of(ResquePoolEvent.WorkerStarted.class)
					.stream()
					.filter((event) -> !before.contains(event.getWorkerId()))
					.toList();
				assertThat(startedByScaling).hasSize(2)
					.allSatisfy((event) -> assertThat(event.getGroup()).isEqualTo("work"));
				List<String> added = startedByScaling.stream().map(ResquePoolEvent.WorkerStarted::getWorkerId).toList();
				eventually(WAIT, () -> assertThat(workers(client)).containsAll(added).hasSize(5));

				pool.scale("work", 1);
				assertThat(log.of(ResquePoolEvent.Scaled.class)).hasSize(2).last().satisfies((scaled) -> {
					assertThat(scaled.getGroup()).isEqualTo("work");
					assertThat(scaled.getFrom()).isEqualTo(4);
					assertThat(scaled.getTo()).isEqualTo(1);
				});
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStopped.class)).hasSize(3));
				eventually(WAIT, () -> assertThat(workers(client)).hasSize(2));
				List<ResquePoolEvent.WorkerStopped> stopped = log.of(ResquePoolEvent.WorkerStopped.class);
				assertThat(stopped).allSatisfy((event) -> {
					assertThat(event.getPool()).isSameAs(pool);
					assertThat(event.getGroup()).isEqualTo("work");
				});
				Set<String> left = new HashSet<>(before);
				left.addAll(added);
				left.removeAll(workers(client));
				assertThat(stopped).extracting(ResquePoolEvent.WorkerStopped::getWorkerId)
					.containsExactlyInAnyOrderElementsOf(left);
				assertThat(log.of(ResquePoolEvent.WorkerCrashed.class)).isEmpty();
			}
		});
	}

	/**
	 * Many workers leaving at once each ask the group to converge while the others are
	 * still exiting: a worker counted half-way through its exit once passed for one that
	 * stays, and the group retired a worker it should have kept (then started a new one).
	 */
	@Test
	void scalingDownManyWorkersAtOnceStopsExactlyTheSurplus(TestRedis redis) {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).hasSize(3));
				pool.scale("work", 1);
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStopped.class)).hasSize(1));
				for (int round = 1; round <= 5; round++) {
					int started = log.of(ResquePoolEvent.WorkerStarted.class).size();
					int stopped = log.of(ResquePoolEvent.WorkerStopped.class).size();
					pool.scale("work", 40);
					eventually(WAIT, () -> assertThat(workers(client)).hasSize(41));
					pool.scale("work", 1);
					eventually(WAIT, () -> {
						assertThat(workers(client)).hasSize(2);
						assertThat(log.of(ResquePoolEvent.WorkerStopped.class))
							.hasSizeGreaterThanOrEqualTo(stopped + 39);
						assertThat(log.of(ResquePoolEvent.WorkerStarted.class).size()
								- log.of(ResquePoolEvent.WorkerStopped.class).size())
							.isEqualTo(2);
					});
					assertThat(log.of(ResquePoolEvent.WorkerStopped.class)).as("stopped in round %d", round)
						.hasSize(stopped + 39);
					assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).as("started in round %d", round)
						.hasSize(started + 39);
				}
				assertThat(log.of(ResquePoolEvent.WorkerCrashed.class)).isEmpty();
			}
		});
	}

	@Test
	void aWorkerKilledByItsJobIsPublishedAsCrashedWithTheErrorAndReplaced(TestRedis redis) {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			TestJobs jobs = context.getBean(TestJobs.class);
			try (StatefulRedisConnection<String, String> client = redis.connect()) {
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).hasSize(3));
				push(client, "m", "Test::Crash", "\"c1\"");
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerCrashed.class)).hasSize(1));
				ResquePoolEvent.WorkerCrashed crashed = log.of(ResquePoolEvent.WorkerCrashed.class).get(0);
				assertThat(crashed.getPool()).isSameAs(pool);
				assertThat(crashed.getGroup()).isEqualTo("mail");
				assertThat(crashed.getWorkerId()).endsWith(":m");
				assertThat(log.of(ResquePoolEvent.WorkerStarted.class))
					.anyMatch((started) -> started.getWorkerId().equals(crashed.getWorkerId()));
				assertThat(crashed.getError()).isInstanceOf(OutOfMemoryError.class)
					.hasMessage("worker-killing error c1");
				assertThat(jobs.crashes).hasValue(1);
				assertThat(log.of(ResquePoolEvent.WorkerStopped.class)).as("a crash is not a stop").isEmpty();
				// the replacement, after the restart backoff
				eventually(WAIT, () -> assertThat(log.of(ResquePoolEvent.WorkerStarted.class)).hasSize(4));
				ResquePoolEvent.WorkerStarted replacement = log.of(ResquePoolEvent.WorkerStarted.class).get(3);
				assertThat(replacement.getGroup()).isEqualTo("mail");
				assertThat(replacement.getWorkerId()).isNotEqualTo(crashed.getWorkerId());
			}
		});
	}

	@Test
	void aReloadIsPublishedWithWhatItChanged() {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("reload", Map.of("resque.pool.groups.mail.count", "2")));
			ReloadResult result = pool.reload();
			assertThat(result.applied()).isTrue();
			assertThat(log.of(ResquePoolEvent.Reloaded.class)).singleElement().satisfies((reloaded) -> {
				assertThat(reloaded.getPool()).isSameAs(pool);
				assertThat(reloaded.getChanges()).containsExactly("scaled group 'mail' from 1 to 2")
					.isEqualTo(result.changes());
			});
		});
	}

	@Test
	void aRefusedReloadIsNotPublished() {
		this.runner.run((context) -> {
			ResquePool pool = context.getBean(ResquePool.class);
			EventLog log = context.getBean(EventLog.class);
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("reload", Map.of("resque.pool.groups.mail.count", "-1")));
			assertThat(pool.reload().applied()).isFalse();
			assertThat(log.of(ResquePoolEvent.Reloaded.class)).isEmpty();
		});
	}

	@SuppressWarnings("unchecked")
	private static List<String> workers(StatefulRedisConnection<String, String> client) {
		return List.copyOf(client.sync().smembers("resque:workers"));
	}

	/** Every pool event, in the order published. */
	static class EventLog implements ApplicationListener<ResquePoolEvent> {

		final List<ResquePoolEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ResquePoolEvent event) {
			this.events.add(event);
		}

		<E extends ResquePoolEvent> List<E> of(Class<E> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).toList();
		}

	}

}
