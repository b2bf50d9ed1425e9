package io.github.resquepool.resque;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How {@code resque.pool.queue-limits.<queue>} values read.
 */
class QueueLimitTests {

	@Test
	void aPlainNumberIsAConcurrencyARateHasAWindowAndACommaJoinsBoth() {
		assertThat(QueueLimit.parse("2")).isEqualTo(new QueueLimit(2, -1, Duration.ofSeconds(1)));
		assertThat(QueueLimit.parse("0")).isEqualTo(new QueueLimit(0, -1, Duration.ofSeconds(1)));
		assertThat(QueueLimit.parse("100/1m")).isEqualTo(new QueueLimit(-1, 100, Duration.ofMinutes(1)));
		assertThat(QueueLimit.parse("100/m")).isEqualTo(new QueueLimit(-1, 100, Duration.ofMinutes(1)));
		assertThat(QueueLimit.parse(" 2 , 100/500ms ")).isEqualTo(new QueueLimit(2, 100, Duration.ofMillis(500)));
		assertThat(QueueLimit.parse("2, 100/1m")).hasToString("2, 100/1m");
		assertThat(QueueLimit.parse("7/90s")).hasToString("7/90s");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "two", "-1", "2,3", "1/1m,2/1s", "5/soon", "5/0s", "x/1m", "2;3" })
	void anythingElseIsRefusedWithTheReason(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueLimit.parse(text)).withMessageNotContaining("null");
	}

	@Test
	void aLongValueIsRefusedBeforeItIsRead() {
		assertThatIllegalArgumentException().isThrownBy(() -> QueueLimit.parse("1".repeat(10_000)));
	}

}
