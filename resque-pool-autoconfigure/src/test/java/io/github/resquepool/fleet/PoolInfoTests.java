package io.github.resquepool.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolInfo}: the JSON that pools of the previous version write and read.
 */
class PoolInfoTests {

	/** What a pool of the previous version wrote, field by field. */
	private static final String PREVIOUS = "{\"host\":\"web-1\",\"pid\":42,\"started\":\"2026-12-07 10:00:00 +0000\","
			+ "\"workers\":3,\"maxWorkers\":50,\"state\":\"running\",\"groups\":[{\"name\":\"default\","
			+ "\"queues\":\"high,low\",\"count\":3,\"live\":3,\"busy\":1,\"state\":\"running\"}],"
			+ "\"fleet\":{\"seq\":7,\"version\":9,\"failures\":{\"5\":\"too many\"}}}";

	@Test
	void writesTheFieldNamesOfThePreviousVersion() {
		PoolInfo info = new PoolInfo("web-1", 42, "2026-12-07 10:00:00 +0000", 3, 50, "running",
				List.of(new PoolInfo.Group("default", "high,low", 3, 3, 1, "running")),
				new PoolInfo.Fleet(7, 9L, Map.of("5", "too many")));
		assertThat(info.toJson()).isEqualTo(PREVIOUS);
	}

	@Test
	void readsWhatThePreviousVersionWrote() {
		PoolInfo info = PoolInfo.parse(PREVIOUS);
		assertThat(info.host()).isEqualTo("web-1");
		assertThat(info.pid()).isEqualTo(42);
		assertThat(info.maxWorkers()).isEqualTo(50);
		assertThat(info.groups()).containsExactly(new PoolInfo.Group("default", "high,low", 3, 3, 1, "running"));
		assertThat(info.fleet().seq()).isEqualTo(7);
		assertThat(info.fleet().version()).isEqualTo(9);
		assertThat(info.fleet().failuresBySeq()).containsExactly(Map.entry(5L, "too many"));
	}

	@Test
	void readsAnOlderPoolWithoutMaxWorkersAndUnknownFields() {
		PoolInfo info = PoolInfo.parse("{\"host\":\"h\",\"state\":\"paused\",\"future\":{\"x\":1}}");
		assertThat(info.maxWorkers()).isZero();
		assertThat(info.state()).isEqualTo("paused");
		assertThat(info.fleet().version()).isEqualTo(-1);
		assertThat(info.fleet().seq()).isZero();
		assertThat(info.groups()).isEmpty();
	}

	@Test
	void readsWhatItCannotReadAsAPoolThatSaysNothing() {
		for (String json : new String[] { "", "not json", "[1]", "{\"pid\":\"abc\"}" }) {
			PoolInfo info = PoolInfo.parse(json);
			assertThat(info.state()).isEqualTo("unknown");
			assertThat(info.host()).isEmpty();
			assertThat(info.fleet().version()).isEqualTo(-1);
		}
	}

	@Test
	void skipsFailuresWhoseKeyIsNoNumber() {
		PoolInfo info = PoolInfo.parse("{\"fleet\":{\"failures\":{\"x\":\"a\",\"3\":\"b\"}}}");
		assertThat(info.fleet().failuresBySeq()).containsExactly(Map.entry(3L, "b"));
	}

	@Test
	void beatsASixthOfTheRecoveryTimeoutBetweenOneAndFiveSeconds() {
		assertThat(PoolInfo.beatInterval(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
		assertThat(PoolInfo.beatInterval(Duration.ofSeconds(18))).isEqualTo(Duration.ofSeconds(3));
		assertThat(PoolInfo.beatInterval(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(5));
	}

}
