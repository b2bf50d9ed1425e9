package io.github.resquepool.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.ResqueRedisException;

import static io.github.resquepool.contract.ContractSupport.lrange;
import static io.github.resquepool.embedded.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An enqueue outside a transaction that fails says whether its job may have been written
 * ({@link ResqueRedisException#mayHaveBeenWritten()}), against the embedded Redis: a
 * stopped Redis (not connected: certainly not), a Redis paused longer than the command
 * timeout (the command was sent: it may have been, and it was once the pause ended).
 */
@ExtendWith(RedisExtension.class)
class EnqueueFailureTests {

	private static final String QUEUE = "resque:queue:invoices";

	private final ApplicationContextRunner runner = ContractSupport.runner()
		.withPropertyValues("resque.pool.enabled=false", "resque.pool.command-timeout=300ms");

	@Test
	void withRedisStoppedTheEnqueueSaysItsJobCertainlyWasNotWritten(TestRedis redis) {
		assumeTrue(redis.canRestart(), "needs a Redis the test can stop");
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			redis.stop();
			List<Integer> notWritten = new ArrayList<>();
			try {
				// The client's connection may have been open when Redis stopped: its
				// first
				// commands then time out (sent or waiting for the reconnect: may have
				// been written), until the connection is closed and every enqueue fails
				// to connect.
				for (int i = 0; i < 10 && notWritten.size() < 3; i++) {
					int n = i;
					ResqueRedisException ex = catchThrowableOfType(ResqueRedisException.class,
							() -> client.enqueue("invoices", "SendInvoice", n));
					assertThat(ex).as("enqueue %d fails", n).isNotNull();
					if (!ex.mayHaveBeenWritten()) {
						assertThat(ex.getMessage()).contains("nothing was sent");
						notWritten.add(n);
					}
				}
			}
			finally {
				redis.restart();
			}
			assertThat(notWritten).as("enqueues that said their job was certainly not written").hasSize(3);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				Thread.sleep(500);
				for (int n : notWritten) {
					assertThat(lrange(raw, QUEUE)).doesNotContain(client.payload("SendInvoice", n));
				}
			}
		});
	}

	@Test
	void aTimeoutDuringAPauseSaysItsJobMayHaveBeenWrittenAndItIsOnceThePauseEnds(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				// Connected, and the enqueue script loaded: the paused command is the
				// enqueue itself.
				assertThat(client.enqueue("invoices", "SendInvoice", "before")).isOne();
				raw.sync().del(QUEUE);
				raw.sync().clientPause(450);
				assertThatExceptionOfType(ResqueRedisException.class)
					.isThrownBy(() -> client.enqueue("invoices", "SendInvoice", "paused"))
					.satisfies((ex) -> {
						assertThat(ex.mayHaveBeenWritten()).isTrue();
						assertThat(ex.getMessage()).contains("did not answer within 300 ms").contains("may have run");
					});
				eventually(Duration.ofSeconds(5),
						() -> assertThat(lrange(raw, QUEUE)).containsExactly(client.payload("SendInvoice", "paused")));
			}
		});
	}

	@Test
	void aRefusalSaysItsJobCertainlyWasNotWritten(TestRedis redis) {
		this.runner.run((context) -> {
			ResqueClient client = context.getBean(ResqueClient.class);
			try (StatefulRedisConnection<String, String> raw = redis.connect()) {
				assertThat(client.enqueue("invoices", "SendInvoice", "before")).isOne();
				raw.sync().del(QUEUE);
				raw.sync().configSet("min-replicas-to-write", "1");
				try {
					assertThatExceptionOfType(ResqueRedisException.class)
						.isThrownBy(() -> client.enqueue("invoices", "SendInvoice", "refused"))
						.satisfies((ex) -> assertThat(ex.mayHaveBeenWritten()).isFalse());
				}
				finally {
					raw.sync().configSet("min-replicas-to-write", "0");
				}
				assertThat(lrange(raw, QUEUE)).isEmpty();
			}
		});
	}

}
