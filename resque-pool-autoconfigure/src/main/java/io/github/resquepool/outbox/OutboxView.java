package io.github.resquepool.outbox;

import java.time.Duration;

/**
 * What the outbox's thread counted last, kept in memory so that the {@code resquepool}
 * endpoint and the dashboard make no database call.
 *
 * @param backlog how many rows of the table were not delivered yet, whoever holds them
 * (counted every five poll intervals)
 * @param oldestAge how old the oldest of them is, {@link Duration#ZERO} when there is
 * none
 * @param held how many rows this instance holds and has not delivered yet
 */
public record OutboxView(long backlog, Duration oldestAge, int held) {

}
