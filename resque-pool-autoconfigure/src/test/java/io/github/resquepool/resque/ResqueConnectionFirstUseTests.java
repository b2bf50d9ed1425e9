package io.github.resquepool.resque;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.resquepool.embedded.RedisExtension;
import io.github.resquepool.embedded.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first commands of many threads at once on a new connection (a pool's workers at
 * start): each gets an answer, and one connection serves them all. A thread that found no
 * connection, and asked for one just after another thread's connect had landed, used to
 * open a second one, close it as redundant and fail with "the resque-pool Redis
 * connection is closed" (the benchmark's 16-thread JMH run met it).
 */
@ExtendWith(RedisExtension.class)
class ResqueConnectionFirstUseTests {

	private static final int THREADS = 16;

	private static final int ROUNDS = 150;

	@Test
	void manyThreadsFirstCommandsAllSucceedOnOneConnection(TestRedis redis) throws Exception {
		RedisClient client = RedisClient.create(redis.url());
		try {
			for (int round = 0; round < ROUNDS; round++) {
				AtomicInteger connects = new AtomicInteger();
				ResqueConnection connection = new ResqueConnection(() -> {
					connects.incrementAndGet();
					return client;
				}, Duration.ofSeconds(5), new Connectivity(Clock.systemUTC()));
				try {
					ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
					AtomicInteger answers = new AtomicInteger();
					CyclicBarrier start = new CyclicBarrier(THREADS);
					List<Thread> threads = new ArrayList<>();
					for (int t = 0; t < THREADS; t++) {
						threads.add(Thread.ofPlatform().start(() -> {
							try {
								start.await();
								if ("PONG".equals(connection.call((c) -> c.ping()))) {
									answers.incrementAndGet();
								}
							}
							catch (Throwable ex) {
								errors.add(ex);
							}
						}));
					}
					for (Thread thread : threads) {
						thread.join(Duration.ofSeconds(30));
					}
					assertThat(errors).as("errors in round %d", round).isEmpty();
					assertThat(answers).as("answers in round %d", round).hasValue(THREADS);
					assertThat(connects).as("connects in round %d", round).hasValue(1);
				}
				finally {
					connection.close();
				}
			}
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

}
