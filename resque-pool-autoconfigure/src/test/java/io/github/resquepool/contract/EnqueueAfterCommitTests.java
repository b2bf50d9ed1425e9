package io.github.resquepool.contract;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.resquepool.client.EnqueueAfterCommitException;
import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.metrics.ResqueDuplicateMetrics;

import static io.github.resquepool.contract.ContractSupport.llen;
import static io.github.resquepool.contract.ContractSupport.lrange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An enqueue inside a Spring-managed transaction (H2 in memory, a real
 * {@link DataSourceTransactionManager}) waits for the commit and is dropped on rollback;
 * when some fail after the commit, every one is attempted and one exception says that the
 * transaction committed and which jobs were not enqueued.
 */
@ExtendWith(RedisExtension.class)
class EnqueueAfterCommitTests {

	private static final String QUEUE = "resque:queue:invoices";

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.enabled=false");

	private final DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:after-commit;DB_CLOSE_DELAY=-1",
			"sa", "");

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private final TransactionTemplate transaction = new TransactionTemplate(
			new DataSourceTransactionManager(this.dataSource));

	EnqueueAfterCommitTests() {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS invoice (id BIGINT PRIMARY KEY)");
		this.jdbc.execute("DELETE FROM invoice");
	}

	@Test
	void anEnqueueInsideATransactionWaitsForTheCommit(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				this.transaction.executeWithoutResult((status) -> {
					this.jdbc.update("INSERT INTO invoice (id) VALUES (42)");
					assertThat(client.enqueue("invoices", "SendInvoice", 42)).isEqualTo(ResqueClient.DEFERRED);
					client.enqueueActiveJob("invoices", "SendInvoiceJob", 42);
					assertThat(llen(raw, QUEUE)).isZero();
				});
				assertThat(llen(raw, QUEUE)).isEqualTo(2);
				assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM invoice", Long.class)).isOne();
			}
		});
	}

	@Test
	void aRollbackDropsTheEnqueue(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThatIllegalStateException().isThrownBy(() -> this.transaction.executeWithoutResult((status) -> {
					this.jdbc.update("INSERT INTO invoice (id) VALUES (43)");
					client.enqueue("invoices", "SendInvoice", 43);
					throw new IllegalStateException("rolled back");
				}));
				this.transaction.executeWithoutResult((status) -> {
					client.enqueue("invoices", "SendInvoice", 44);
					status.setRollbackOnly();
				});
				assertThat(llen(raw, QUEUE)).isZero();
				assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM invoice", Long.class)).isZero();
			}
		});
	}

	@Test
	void immediateEnqueuesAtOnceInsideATransaction(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				this.transaction.executeWithoutResult((status) -> {
					assertThat(client.immediate().enqueue("invoices", "Audit", 1)).isEqualTo(1);
					assertThat(llen(raw, QUEUE)).isOne();
					status.setRollbackOnly();
				});
				assertThat(llen(raw, QUEUE)).isOne();
			}
		});
	}

	@Test
	void outsideATransactionTheEnqueueIsImmediate(TestRedis redis) {
		this.runner.run((context) -> {
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(context.getBean(ResqueClient.class).enqueue("invoices", "SendInvoice", 1)).isEqualTo(1);
				assertThat(llen(raw, QUEUE)).isOne();
			}
		});
	}

	@Test
	void thePropertyTurnsDeferralOff(TestRedis redis) {
		this.runner.withPropertyValues("resque.pool.client.enqueue-after-commit=false").run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			assertThat(client.isAfterCommit()).isFalse();
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				this.transaction.executeWithoutResult((status) -> {
					client.enqueue("invoices", "SendInvoice", 1);
					status.setRollbackOnly();
				});
				assertThat(llen(raw, QUEUE)).isOne();
			}
		});
	}

	@Test
	void aFailedEnqueueAfterTheCommitDoesNotStopTheOthersAndSaysTheTransactionCommitted(TestRedis redis) {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.runner.withBean(ResqueDuplicateMetrics.class, () -> new ResqueDuplicateMetrics(registry))
			.run((context) -> {
				ResqueClient client = context.getBean(ResqueClient.class);
				try (StatefulRedisConnection<String, String> raw = redis.connect()) {
					// A queue key of another type: its push fails, the others go through.
					raw.sync().set("resque:queue:broken", "not a list");
					assertThatExceptionOfType(EnqueueAfterCommitException.class)
						.isThrownBy(() -> this.transaction.executeWithoutResult((status) -> {
							this.jdbc.update("INSERT INTO invoice (id) VALUES (45)");
							client.enqueue("invoices", "SendInvoice", 1);
							client.enqueue("broken", "SendReceipt", 2);
							client.enqueue("invoices", "SendInvoice", 3);
						}))
						.satisfies((ex) -> {
							assertThat(ex.getMessage()).startsWith("The transaction committed, but 1 of its 3 enqueues")
								.contains("SendReceipt on queue broken");
							assertThat(ex.attempted()).isEqualTo(3);
							assertThat(ex.jobs()).singleElement().satisfies((job) -> {
								assertThat(job.queue()).isEqualTo("broken");
								assertThat(job.className()).isEqualTo("SendReceipt");
							});
						});
					assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM invoice WHERE id = 45", Long.class))
						.as("committed")
						.isOne();
					assertThat(lrange(raw, QUEUE)).containsExactly(client.payload("SendInvoice", 1),
							client.payload("SendInvoice", 3));
					assertThat(registry.get("resque.enqueue.failed")
						.tags("queue", "broken", "class", "SendReceipt")
						.counter()
						.count()).isOne();
					assertThat(registry.find("resque.enqueue.failed").counters()).hasSize(1);
				}
			});
	}

	@Test
	void withRedisStoppedEveryEnqueueOfTheCommitIsAttemptedAndListed(TestRedis redis) {
		assumeTrue(redis.canRestart(), "needs a Redis the test can stop");
		this.runner.withPropertyValues("resque.pool.command-timeout=300ms").run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			redis.stop();
			try {
				assertThatExceptionOfType(EnqueueAfterCommitException.class)
					.isThrownBy(() -> this.transaction.executeWithoutResult((status) -> {
						this.jdbc.update("INSERT INTO invoice (id) VALUES (46)");
						client.enqueue("invoices", "SendInvoice", 1);
						client.enqueueIn("invoices", Duration.ofHours(1), "SendReminder", 2);
						client.enqueueActiveJob("mailers", "ReceiptJob", 3);
					}))
					.satisfies((ex) -> {
						assertThat(ex.getMessage()).startsWith("The transaction committed, but 3 of its 3 enqueues");
						assertThat(ex.jobs()).extracting(EnqueueAfterCommitException.NotEnqueued::className)
							.containsExactly("SendInvoice", "SendReminder",
									"ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper");
						assertThat(ex.jobs()).extracting(EnqueueAfterCommitException.NotEnqueued::queue)
							.isEqualTo(List.of("invoices", "invoices", "mailers"));
					});
			}
			finally {
				redis.restart();
			}
			assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM invoice WHERE id = 46", Long.class))
				.as("committed")
				.isOne();
		});
	}

}
