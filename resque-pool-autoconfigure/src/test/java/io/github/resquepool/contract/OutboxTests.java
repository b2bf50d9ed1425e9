package io.github.resquepool.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.resquepool.autoconfigure.ResqueOutboxAutoConfiguration;
import io.github.resquepool.client.DuplicateEnqueues;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.health.ResqueOutboxHealthIndicator;
import io.github.resquepool.job.ResqueJob;
import io.github.resquepool.job.ResqueUnique;
import io.github.resquepool.metrics.ResqueOutboxMetrics;
import io.github.resquepool.outbox.ResqueOutbox;
import io.github.resquepool.resque.DelayedStore;

import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transactional outbox ({@code resque.pool.client.outbox.enabled=true}) against a
 * real H2 database and transaction manager and the embedded Redis: an enqueue inside a
 * transaction is a row written in it, delivered after the commit exactly as an enqueue
 * without the outbox writes it; a rollback leaves nothing; commits never wait for a
 * paused Redis and every job arrives once it answers, none twice; rows left by a dead
 * application are delivered by the next one.
 */
@ExtendWith(RedisExtension.class)
class OutboxTests {

	private static final String QUEUE = "resque:queue:invoices";

	private final DataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private final TransactionTemplate transaction = new TransactionTemplate(
			new DataSourceTransactionManager(this.dataSource));

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withConfiguration(AutoConfigurations.of(ResqueOutboxAutoConfiguration.class))
		.withBean(DataSource.class, () -> this.dataSource)
		.withPropertyValues("resque.pool.enabled=false", "resque.pool.client.outbox.enabled=true");

	OutboxTests() {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS invoice (id BIGINT PRIMARY KEY)");
	}

	@Test
	void aCommitDeliversTheJobsInOrderByteForByteAsAnEnqueueWithoutTheOutbox(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.isOutboxed()).isTrue();
			Instant later = Instant.now().plus(Duration.ofHours(1));
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				this.transaction.executeWithoutResult((status) -> {
					this.jdbc.update("INSERT INTO invoice (id) VALUES (1)");
					for (int i = 0; i < 5; i++) {
						assertThat(client.enqueue("invoices", "SendInvoice", i, "a\u00e9\n"))
							.isEqualTo(ResqueClient.DEFERRED);
					}
					client.enqueueAt("invoices", later, "SendReminder", 1);
					assertThat(rows()).isEqualTo(6);
				});
				eventually(() -> assertThat(lrange(raw, QUEUE)).hasSize(5));
				eventually(() -> assertThat(rows()).isZero());
				List<String> expected = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					expected.add(client.payload("SendInvoice", i, "a\u00e9\n"));
				}
				assertThat(lrange(raw, QUEUE)).containsExactlyElementsOf(expected);
				String bucket = "resque:delayed:" + later.getEpochSecond();
				assertThat(lrange(raw, bucket)).containsExactly(DelayedStore.item("invoices", "SendReminder", "[1]"));
				// The same enqueues without the outbox write the same bytes.
				raw.sync().del(QUEUE, bucket);
				for (int i = 0; i < 5; i++) {
					client.immediate().enqueue("invoices", "SendInvoice", i, "a\u00e9\n");
				}
				client.immediate().enqueueAt("invoices", later, "SendReminder", 1);
				assertThat(lrange(raw, QUEUE)).containsExactlyElementsOf(expected);
				assertThat(lrange(raw, bucket)).containsExactly(DelayedStore.item("invoices", "SendReminder", "[1]"));
				eventually(() -> assertThat(raw.sync().keys("resque:resquepool:outbox:*")).as("markers of deleted rows")
					.isEmpty());
			}
		});
	}

	@Test
	void aRollbackLeavesNeitherARowNorAJob(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThatIllegalStateException().isThrownBy(() -> this.transaction.executeWithoutResult((status) -> {
					this.jdbc.update("INSERT INTO invoice (id) VALUES (2)");
					client.enqueue("invoices", "SendInvoice", "rolled back");
					client.enqueueActiveJob("invoices", "SendInvoiceJob", "rolled back");
					throw new IllegalStateException("rolled back");
				}));
				this.transaction.executeWithoutResult((status) -> {
					client.enqueueIn("invoices", Duration.ofHours(1), "SendInvoice", "rolled back");
					status.setRollbackOnly();
				});
				assertThat(rows()).isZero();
				// One thread delivers in commit order: once a later commit's job is
				// there,
				// a rolled-back one would have been before it.
				this.transaction.executeWithoutResult((status) -> client.enqueue("invoices", "SendInvoice", "kept"));
				eventually(() -> assertThat(lrange(raw, QUEUE)).hasSize(1));
				assertThat(lrange(raw, QUEUE)).containsExactly(client.payload("SendInvoice", "kept"));
				assertThat(raw.sync().zcard("resque:delayed_queue_schedule")).isZero();
				assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM invoice WHERE id = 2", Long.class)).isZero();
				eventually(() -> assertThat(rows()).isZero());
			}
		});
	}

	@Test
	void aRollbackToASavepointLeavesNoJobOfTheNestedTransaction(TestRedis redis) {
		TransactionTemplate nested = new TransactionTemplate(this.transaction.getTransactionManager());
		nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				this.transaction.executeWithoutResult((status) -> {
					client.enqueue("invoices", "SendInvoice", "before");
					nested.executeWithoutResult((savepoint) -> {
						client.enqueue("invoices", "SendInvoice", "rolled back to the savepoint");
						savepoint.setRollbackOnly();
					});
					client.enqueue("invoices", "SendInvoice", "after");
				});
				eventually(() -> assertThat(rows()).isZero());
				eventually(() -> assertThat(lrange(raw, QUEUE)).hasSize(2));
				assertThat(lrange(raw, QUEUE)).containsExactly(client.payload("SendInvoice", "before"),
						client.payload("SendInvoice", "after"));
			}
		});
	}

	@Test
	void transactionsCommitWhileRedisIsPausedAndEveryJobArrivesAfterThePausesOnce(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.command-timeout=300ms").run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			ResqueOutbox outbox = context.getBean(ResqueOutbox.class);
			List<String> expected = new ArrayList<>();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				// Each round, Redis holds every command for 450 ms, longer than the
				// command timeout: the delivery sent first times out and is sent again,
				// and Redis runs both once the pause ends, the first one's answer lost.
				// (A pause longer than two command timeouts makes the connection reopen,
				// and Redis drops the commands of the closed one: nothing is answered
				// twice then.)
				for (int round = 0; round < 4; round++) {
					raw.sync().clientPause(450);
					long pausedAt = System.nanoTime();
					long slowest = 0;
					for (int i = 0; i < 10; i++) {
						int n = round * 10 + i;
						long started = System.nanoTime();
						this.transaction.executeWithoutResult((status) -> {
							this.jdbc.update("INSERT INTO invoice (id) VALUES (?)", 1000 + n);
							client.enqueue("invoices", "SendInvoice", n);
						});
						slowest = Math.max(slowest, System.nanoTime() - started);
						expected.add(client.payload("SendInvoice", n));
					}
					assertThat(Duration.ofNanos(System.nanoTime() - pausedAt))
						.as("the commits were made during the pause")
						.isLessThan(Duration.ofMillis(450));
					assertThat(Duration.ofNanos(slowest)).as("no commit waits for Redis")
						.isLessThan(Duration.ofMillis(250));
					assertThat(rows()).as("the rows wait in the outbox").isPositive();
					eventually(Duration.ofSeconds(30), () -> assertThat(rows()).isZero());
				}
				assertThat(lrange(raw, QUEUE)).as("every job once, in commit order")
					.containsExactlyElementsOf(expected);
				// A row pushed by a call whose answer was lost counts when it is sent
				// again
				// and found pushed before.
				assertThat(outbox.sentBefore()).as("deliveries sent again found their marker").isPositive();
				assertThat(outbox.pushed() + outbox.sentBefore()).isEqualTo(40);
			}
		});
	}

	@Test
	void aUniqueJobTakesItsLockWhenItsRowIsPushed(TestRedis redis) {
		List<String> duplicates = new CopyOnWriteArrayList<>();
		this.runner.withBean(Compactions.class)
			.withBean(DuplicateEnqueues.class, () -> (queue, className) -> duplicates.add(queue + " " + className))
			.run((context) -> {
				ResqueClient client = context.getBean(ResqueClient.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					this.transaction.executeWithoutResult((status) -> {
						client.enqueue("compact", "Outbox::Compact", 1);
						client.enqueue("compact", "Outbox::Compact", 1);
						client.enqueue("compact", "Outbox::Compact", 2);
					});
					eventually(() -> assertThat(rows()).isZero());
					assertThat(lrange(raw, "resque:queue:compact"))
						.containsExactly(client.payload("Outbox::Compact", 1), client.payload("Outbox::Compact", 2));
					assertThat(duplicates).containsExactly("compact Outbox::Compact");
					List<String> locks = raw.sync().keys("resque:resquepool:unique:Outbox::Compact:*");
					assertThat(locks).hasSize(2);
					assertThat(locks).allSatisfy((lock) -> {
						assertThat(raw.sync().get(lock)).isEqualTo("queued:compact");
						assertThat(raw.sync().pttl(lock)).isGreaterThan(Duration.ofMinutes(9).toMillis());
					});
					assertThat(client.immediate().enqueue("compact", "Outbox::Compact", 2))
						.isEqualTo(ResqueClient.DUPLICATE);
				}
			});
	}

	@Test
	void commitsWhileRedisIsDownAreDeliveredOnceItIsBack(TestRedis redis) {
		assumeTrue(redis.canRestart(), "needs a Redis the test can stop");
		this.runner.withPropertyValues("resque.pool.command-timeout=300ms").run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			List<String> expected = new ArrayList<>();
			long slowest = 0;
			redis.stop();
			try {
				for (int i = 0; i < 50; i++) {
					int n = i;
					long started = System.nanoTime();
					this.transaction.executeWithoutResult((status) -> {
						this.jdbc.update("INSERT INTO invoice (id) VALUES (?)", 2000 + n);
						client.enqueue("invoices", "SendInvoice", n);
					});
					slowest = Math.max(slowest, System.nanoTime() - started);
					expected.add(client.payload("SendInvoice", n));
				}
				assertThat(rows()).isEqualTo(50);
			}
			finally {
				redis.restart();
			}
			assertThat(Duration.ofNanos(slowest)).as("no commit waits for Redis").isLessThan(Duration.ofMillis(250));
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				eventually(Duration.ofSeconds(30), () -> assertThat(rows()).isZero());
				assertThat(lrange(raw, QUEUE)).containsExactlyElementsOf(expected);
			}
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM invoice WHERE id >= 2000", Long.class))
				.isEqualTo(50);
		});
	}

	@Test
	void theBacklogAndTheAgeOfItsOldestRowAreMeters(TestRedis redis) {
		assumeTrue(redis.canRestart(), "needs a Redis the test can stop");
		this.runner
			.withPropertyValues("resque.pool.command-timeout=300ms", "resque.pool.client.outbox.poll-interval=100ms")
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(ResqueOutboxMetrics.class).bindTo(registry);
				ResqueClient client = context.getBean(ResqueClient.class);
				redis.stop();
				try {
					for (int i = 0; i < 3; i++) {
						int n = i;
						this.transaction.executeWithoutResult((status) -> client.enqueue("invoices", "SendInvoice", n));
					}
					eventually(() -> assertThat(registry.get("resque.outbox.backlog").gauge().value()).isEqualTo(3));
					eventually(() -> assertThat(
							registry.get("resque.outbox.oldest.age").timeGauge().value(TimeUnit.MILLISECONDS))
						.isPositive());
				}
				finally {
					redis.restart();
				}
				eventually(() -> assertThat(registry.get("resque.outbox.backlog").gauge().value()).isZero());
				assertThat(registry.get("resque.outbox.oldest.age").timeGauge().value(TimeUnit.MILLISECONDS)).isZero();
				assertThat(registry.get("resque.outbox.pushed").functionCounter().count()).isEqualTo(3);
			});
	}

	@Test
	void theHealthIsDownWhileTheOldestRowIsOlderThanTheThreshold(TestRedis redis) {
		assumeTrue(redis.canRestart(), "needs a Redis the test can stop");
		this.runner
			.withPropertyValues("resque.pool.command-timeout=300ms", "resque.pool.client.outbox.poll-interval=100ms",
					"resque.pool.client.outbox.health-threshold=300ms")
			.run((context) -> {
				ResqueOutboxHealthIndicator health = context.getBean(ResqueOutboxHealthIndicator.class);
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				ResqueClient client = context.getBean(ResqueClient.class);
				redis.stop();
				try {
					this.transaction.executeWithoutResult((status) -> client.enqueue("invoices", "SendInvoice", 1));
					eventually(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
					assertThat(health.health().getDetails()).containsEntry("backlog", 1L)
						.containsEntry("threshold", "PT0.3S");
				}
				finally {
					redis.restart();
				}
				eventually(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
			});
		this.runner.withPropertyValues("management.health.resqueoutbox.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(ResqueOutbox.class)
				.doesNotHaveBean(ResqueOutboxHealthIndicator.class));
	}

	@Test
	void rowsLeftByADeadApplicationAreDeliveredByTheNextOne(TestRedis redis) {
		new ResourceDatabasePopulator(new ClassPathResource("io/github/resquepool/outbox/schema-h2.sql"))
			.execute(this.dataSource);
		long now = System.currentTimeMillis();
		// As a JVM killed after its commits leaves them: claimed by it, for a claim that
		// runs out (or already ran out).
		for (int i = 0; i < 5; i++) {
			insertRow("dead-" + i, "{\"class\":\"SendInvoice\",\"args\":[" + i + "]}", now - 1);
		}
		// Delivered by the dead JVM, which died before it deleted the row.
		insertRow("dead-sent", "{\"class\":\"SendInvoice\",\"args\":[\"twice?\"]}", now - 1);
		try (StatefulRedisConnection<String, String> raw = redis.connect()) {
			raw.sync().set("resque:resquepool:outbox:sent:dead-sent", "1");
			this.runner.run((context) -> {
				eventually(() -> assertThat(rows()).isZero());
				assertThat(lrange(raw, QUEUE)).containsExactly("{\"class\":\"SendInvoice\",\"args\":[0]}",
						"{\"class\":\"SendInvoice\",\"args\":[1]}", "{\"class\":\"SendInvoice\",\"args\":[2]}",
						"{\"class\":\"SendInvoice\",\"args\":[3]}", "{\"class\":\"SendInvoice\",\"args\":[4]}");
			});
		}
	}

	@Test
	void aRowClaimedByALiveOutboxIsNotTakenBeforeItsClaimRunsOut(TestRedis redis) {
		try (StatefulRedisConnection<String, String> raw = redis.connect()) {
			this.runner.withPropertyValues("resque.pool.client.outbox.poll-interval=100ms").run((context) -> {
				long now = System.currentTimeMillis();
				insertRow("held", "{\"class\":\"SendInvoice\",\"args\":[\"held\"]}", now + 3000);
				ResqueClient client = context.getBean(ResqueClient.class);
				this.transaction.executeWithoutResult((status) -> client.enqueue("invoices", "SendInvoice", "own"));
				eventually(() -> assertThat(lrange(raw, QUEUE)).contains(client.payload("SendInvoice", "own")));
				assertThat(lrange(raw, QUEUE)).as("the held row waits for its claim").hasSize(1);
				eventually(() -> assertThat(rows()).isZero());
				assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(now + 3000);
				assertThat(lrange(raw, QUEUE)).containsExactly(client.payload("SendInvoice", "own"),
						"{\"class\":\"SendInvoice\",\"args\":[\"held\"]}");
			});
		}
	}

	@Test
	void withoutThePropertyNothingChanges(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.client.outbox.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ResqueOutbox.class);
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.isOutboxed()).isFalse();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				this.transaction.executeWithoutResult((status) -> {
					assertThat(client.enqueue("invoices", "SendInvoice", 1)).isEqualTo(ResqueClient.DEFERRED);
					assertThat(lrange(raw, QUEUE)).isEmpty();
				});
				assertThat(lrange(raw, QUEUE)).hasSize(1);
			}
			assertThat(tableExists()).isFalse();
		});
	}

	@Test
	void turnedOnWithoutSpringJdbcOrADataSourceTheApplicationDoesNotStart() {
		this.runner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("resque.pool.client.outbox.enabled"));
		ContractSupport.runner()
			.withConfiguration(AutoConfigurations.of(ResqueOutboxAutoConfiguration.class))
			.withPropertyValues("resque.pool.enabled=false", "resque.pool.client.outbox.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("the outbox needs spring-jdbc and one DataSource"));
		ContractSupport.runner()
			.withConfiguration(AutoConfigurations.of(ResqueOutboxAutoConfiguration.class))
			.withPropertyValues("resque.pool.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ResqueOutbox.class)
				.getBean(ResqueClient.class)
				.satisfies((client) -> assertThat(client.isOutboxed()).isFalse()));
	}

	@Test
	void theTableIsCreatedOnAnEmbeddedDatabaseUnlessToldNever() {
		this.runner.withPropertyValues("resque.pool.client.outbox.initialize-schema=never")
			.run((context) -> assertThat(tableExists()).isFalse());
		this.runner.run((context) -> assertThat(tableExists()).isTrue());
	}

	private void insertRow(String token, String payload, long claimedUntil) {
		this.jdbc.update(
				"INSERT INTO resque_outbox (token, created_at, queue_name, class_name, payload, attempts,"
						+ " claimed_by, claimed_until) VALUES (?, ?, 'invoices', 'SendInvoice', ?, 0, 'dead', ?)",
				token, System.currentTimeMillis(), payload, claimedUntil);
	}

	private long rows() {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM resque_outbox", Long.class);
	}

	private boolean tableExists() {
		return this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'resque_outbox'",
				Long.class) > 0;
	}

	/** A unique job. */
	static class Compactions {

		@ResqueJob("Outbox::Compact")
		@ResqueUnique(ttl = "10m")
		void compact(long id) {
		}

	}

}
