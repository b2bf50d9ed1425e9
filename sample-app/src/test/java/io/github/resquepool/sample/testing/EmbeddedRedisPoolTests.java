package io.github.resquepool.sample.testing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.resquepool.client.ResqueClient;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.embedded.EmbeddedRedisServer;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.resque.FailureRecord;
import io.github.resquepool.test.EmbeddedResqueRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole application on the test's real Redis (docs/testing.md):
 * {@code @EmbeddedResqueRedis} before {@code @SpringBootTest}, then the real
 * {@link ResqueClient} enqueues and the real pool runs the sample's jobs.
 */
@EmbeddedResqueRedis
@SpringBootTest(properties = "resque.sample.demo-on-start=false")
class EmbeddedRedisPoolTests {

	@Autowired
	private ResqueClient resque;

	@Autowired
	private ResqueFailures failures;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void theApplicationUsesTheTestsRedisAndStartsNoneOfItsOwn(ApplicationContext context, TestRedis testRedis,
			@Autowired Environment environment) {
		assertThat(environment.getProperty("spring.data.redis.port", Integer.class)).isEqualTo(testRedis.port());
		assertThat(context.getBeanNamesForType(EmbeddedRedisServer.class)).isEmpty();
		this.resque.enqueue("mail", "Mailers::Welcome", 42, "en");
		try (var client = testRedis.connect()) {
			// the test's own connection sees what the application wrote, or the pool took
			// it
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(client.sync().get("resque:stat:processed")).isEqualTo("1"));
		}
	}

	@Test
	void theRealPoolRunsWhatTheRealClientEnqueues() {
		this.resque.enqueue("critical", "Billing::Charge", "acct_1042", 1250);
		this.resque.enqueue("critical", "Billing::Charge", "acct_7", -5);
		this.resque.enqueue("default", "Images::Resize", "https://cdn.example.com/1.jpg",
				java.util.Map.of("width", 200));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(this.redis.opsForValue().get("resque:stat:processed")).isEqualTo("3");
			assertThat(this.failures.count()).isEqualTo(1);
		});
		FailureRecord failure = this.failures.list(0, 1).get(0);
		assertThat(failure.exception()).isEqualTo("java.lang.IllegalArgumentException");
		assertThat(failure.error()).isEqualTo("Cannot charge a negative amount (-5 cents) to acct_7");
		assertThat(failure.queue()).isEqualTo("critical");
		assertThat(this.resque.size("critical")).isZero();
		assertThat(this.resque.size("default")).isZero();
	}

}
