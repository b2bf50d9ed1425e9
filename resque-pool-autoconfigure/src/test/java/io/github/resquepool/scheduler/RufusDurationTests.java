package io.github.resquepool.scheduler;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code every:} durations as {@code Fugit::Duration.parse(s).to_sec} reads them.
 */
class RufusDurationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "30s|30", "5m|300", "1h|3600", "1h30m|5400", "2d|172800", "1w|604800",
			"90|90", "1y|31536000", "1M|2592000", "1w2d|777600", "1h10s|3610", "1d12|86412", "1 hour|3600",
			"2 hours|7200", "3 minutes|180", "1 min|60", "10 mins|600", "1 minute|60", "5 seconds|5", "5 sec|5",
			"5 secs|5", "1 day|86400", "2 days|172800", "1 week|604800", "3 weeks|1814400", "1 month|2592000",
			"2 months|5184000", "1 year|31536000", "2 years|63072000", "1H|3600", "1D|86400", "1W|604800", "1S|1",
			"1Y|31536000", "1ss|1", "1h and 30m|5400", "1h, 30m|5400", "1h 30m|5400", "1h AND 30m|5400", "'  30s  '|30",
			"-1h|-3600", "-1h30m|-5400", "1h -30m|1800", "1h-30m|1800", "+5m|300", "1h1h|7200", "0s|0", "0|0" })
	void parseReadsRufusDurationsInWholeSeconds(String text, long seconds) {
		assertThat(RufusDuration.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
	}

	@Test
	void parseReadsFractionalAmounts() {
		assertThat(RufusDuration.parse("0.5")).isEqualTo(Duration.ofMillis(500));
		assertThat(RufusDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
		assertThat(RufusDuration.parse(".5s")).isEqualTo(Duration.ofMillis(500));
		assertThat(RufusDuration.parse("2.m")).isEqualTo(Duration.ofMinutes(2));
		assertThat(RufusDuration.parse("1.25")).isEqualTo(Duration.ofMillis(1250));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "P1D|86400", "PT1H|3600", "PT1H30M|5400", "P1M|2592000", "PT1M|60", "P1Y2M3W4DT5H6M7S|38898367",
					"p1d|86400", "pt30s|30", "P2W|1209600", "PT-5M|-300", "P|0", "P1DT12H|129600" })
	void parseFallsBackToIso8601(String text, long seconds) {
		assertThat(RufusDuration.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
	}

	@Test
	void parseReadsFractionalIsoSeconds() {
		assertThat(RufusDuration.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void monthIsUpperCaseMAndMinuteIsLowerCaseM() {
		assertThat(RufusDuration.parse("1M")).isEqualTo(Duration.ofDays(30));
		assertThat(RufusDuration.parse("1m")).isEqualTo(Duration.ofMinutes(1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "abc", "1x", "30 1h", "1ms", "1 Month", "1 MIN", "h", "1h30m?", "1.5.5s", "s30",
			"PT", "P1H", "P1.5D", "1h,", "1h and", "--1h", "1e3", "every 5m", "5m!" })
	void parseRejectsWhatFugitRejects(String text) {
		assertThat(RufusDuration.tryParse(text)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> RufusDuration.parse(text))
			.withMessageStartingWith("not a duration \"" + text + "\": expected amounts like 30s");
	}

	@ParameterizedTest
	@ValueSource(strings = { "300000000000y", "9223372036854775807", "P300000000000Y", "1100y" })
	void aDurationBeyondAThousandYearsIsRefusedWithTheReason(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> RufusDuration.parse(text))
			.withMessageContaining("too large");
	}

	@Test
	void aThousandYearsIsStillADuration() {
		assertThat(RufusDuration.parse("1000y")).isEqualTo(Duration.ofDays(365_000));
	}

	@Test
	void tryParseOfNullIsEmpty() {
		assertThat(RufusDuration.tryParse(null)).isEmpty();
	}

}
