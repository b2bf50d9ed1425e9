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
		RedisConnections.call(redis.host(), redis.port(),
				(commands) -> commands.set("left-over", "from the first test"));
	}

	@Test
	@Order(2)
	void flushesBeforeEachTest(TestRedis redis) {
		assertThat(RedisConnections.<Long>call(redis.host(), redis.port(), (commands) -> commands.dbsize()))
			.isEqualTo(0L);
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
		assertThat(RedisConnections.ping(redis.host(), redis.port())).isEqualTo("PONG");
	}

}
