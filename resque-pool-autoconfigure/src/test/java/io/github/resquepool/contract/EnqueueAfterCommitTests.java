package io.github.resquepool.contract;

import javax.sql.DataSource;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static io.github.resquepool.contract.ContractSupport.llen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * An enqueue inside a Spring-managed transaction (H2 in memory, a real
 * {@link DataSourceTransactionManager}) waits for the commit and is dropped on rollback.
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

}
