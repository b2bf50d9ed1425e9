package io.github.resquepool.embedded;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionTests {

	private final TestRedis fromConstructor;

	RedisExtensionTests(TestRedis redis) {
		this.fromConstructor = redis;
	}

	@Test
	@Order(1)
	void injectsTheSharedServer(TestRedis redis) {
		assertThat(redis).isSameAs(TestRedis.shared()).isSameAs(fromConstructor);
		RespClient.call(redis.host(), redis.port(), "SET", "left-over", "from the first test");
	}

	@Test
	@Order(2)
	void flushesBeforeEachTest(TestRedis redis) {
		assertThat(RespClient.call(redis.host(), redis.port(), "DBSIZE")).isEqualTo(0L);
	}

	@Test
	@Order(3)
	void bringsTheSharedServerBackWhenAnEarlierTestStoppedIt(TestRedis redis) {
		if (redis.canRestart()) {
			redis.stop();
		}
	}

	@Test
	@Order(4)
	void sharedServerRunsAgain(TestRedis redis) {
		assertThat(RespClient.call(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
	}

}
