package io.github.resquepool.resque;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time formats of the wire contract (sections 2, 7, 8, 10 and 16), rendered to the
 * byte and read back from whatever Ruby Resque 2.x/3.x, resque-web and Jesque write.
 */
class RubyTimeTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final Instant REGISTERED = Instant.parse("2026-11-22T14:34:42Z");

	@Test
	void timeToSRendersRubyTimeToSWithANumericOffset() {
		assertThat(RubyTime.timeToS(REGISTERED.atZone(ZoneOffset.UTC))).isEqualTo("2026-11-22 14:34:42 +0000");
		assertThat(RubyTime.timeToS(REGISTERED.atZone(ZoneId.of("UTC")))).isEqualTo("2026-11-22 14:34:42 +0000");
	}

	@Test
	void timeToSRendersTheLocalTimeAndOffsetOfOtherZones() {
		assertThat(RubyTime.timeToS(REGISTERED.atZone(BERLIN))).isEqualTo("2026-11-22 15:34:42 +0100");
		assertThat(RubyTime.timeToS(REGISTERED.atZone(ZoneId.of("America/New_York"))))
			.isEqualTo("2026-11-22 09:34:42 -0500");
		assertThat(RubyTime.timeToS(REGISTERED.atZone(ZoneId.of("Asia/Kolkata"))))
			.isEqualTo("2026-11-22 20:04:42 +0530");
	}

	@Test
	void runAtIsUtcIsoInWholeSecondsWithZ() {
		assertThat(RubyTime.runAt(Instant.parse("2026-11-22T14:34:42Z"))).isEqualTo("2026-11-22T14:34:42Z");
		assertThat(RubyTime.runAt(Instant.parse("2026-11-22T14:34:42.999999999Z"))).isEqualTo("2026-11-22T14:34:42Z");
		assertThat(RubyTime.runAt(Instant.parse("2026-01-02T03:04:05.001Z"))).isEqualTo("2026-01-02T03:04:05Z");
	}

	@Test
	void heartbeatIsIsoWithAPlusZeroOffsetFromRedisSeconds() {
		long seconds = Instant.parse("2026-11-22T14:35:51Z").getEpochSecond();
		assertThat(RubyTime.heartbeat(seconds)).isEqualTo("2026-11-22T14:35:51+00:00");
		assertThat(RubyTime.heartbeat(0)).isEqualTo("1970-01-01T00:00:00+00:00");
	}

	@Test
	void failedAtInUtcUsesTheUtcAbbreviation() {
		Instant failed = Instant.parse("2026-11-22T14:34:41Z");
		assertThat(RubyTime.failedAt(failed.atZone(ZoneOffset.UTC))).isEqualTo("2026/11/22 14:34:41 UTC");
		assertThat(RubyTime.failedAt(failed.atZone(ZoneId.of("UTC")))).isEqualTo("2026/11/22 14:34:41 UTC");
		assertThat(RubyTime.failedAt(failed.atZone(ZoneId.of("Etc/UTC")))).isEqualTo("2026/11/22 14:34:41 UTC");
	}

	@Test
	void failedAtInBerlinUsesCetInWinterAndCestInSummer() {
		assertThat(RubyTime.failedAt(Instant.parse("2026-11-22T14:34:41Z").atZone(BERLIN)))
			.isEqualTo("2026/11/22 15:34:41 CET");
		assertThat(RubyTime.failedAt(Instant.parse("2026-07-01T10:00:00Z").atZone(BERLIN)))
			.isEqualTo("2026/07/01 12:00:00 CEST");
	}

	@Test
	void failedAtInNewYorkUsesEst() {
		assertThat(RubyTime.failedAt(Instant.parse("2026-11-22T14:34:41Z").atZone(ZoneId.of("America/New_York"))))
			.isEqualTo("2026/11/22 09:34:41 EST");
	}

	@Test
	void failedAtNowHasRubysShape() {
		assertThat(RubyTime.failedAtNow()).matches("^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+$");
	}

	static Stream<Arguments> readableTimes() {
		return Stream.of(
				// heartbeats (section 8): what Ruby writes and what Time.parse accepts
				Arguments.of("2026-11-22T14:35:51+00:00", "2026-11-22T14:35:51Z"),
				Arguments.of("2026-11-22T14:35:51Z", "2026-11-22T14:35:51Z"),
				Arguments.of("2026-11-22T14:35:51.123Z", "2026-11-22T14:35:51.123Z"),
				Arguments.of("2026-11-22T14:35:51.123456789Z", "2026-11-22T14:35:51.123456789Z"),
				Arguments.of("2026-11-22 14:35:51 +0000", "2026-11-22T14:35:51Z"),
				Arguments.of("2026-11-22T16:35:51+02:00", "2026-11-22T14:35:51Z"),
				Arguments.of("2026-11-22 09:35:51 -0500", "2026-11-22T14:35:51Z"),
				// failed_at / retried_at (section 10)
				Arguments.of("2026/11/22 14:34:41 UTC", "2026-11-22T14:34:41Z"),
				Arguments.of("2026/11/22 15:34:41 CET", "2026-11-22T14:34:41Z"),
				Arguments.of("2026/07/01 12:00:00 CEST", "2026-07-01T10:00:00Z"),
				Arguments.of("2026/11/22 09:34:41 EST", "2026-11-22T14:34:41Z"),
				Arguments.of("2026/07/01 03:00:00 PDT", "2026-07-01T10:00:00Z"),
				Arguments.of("2026/11/22 23:34:41 JST", "2026-11-22T14:34:41Z"),
				// Ruby's %Z for zones without an abbreviation (tzdata numeric form), e.g.
				// Asia/Dubai
				Arguments.of("2026/11/22 18:34:41 +04", "2026-11-22T14:34:41Z"),
				// Resque 2.x retried_at has no zone: read as UTC
				Arguments.of("2026/11/22 14:34:51", "2026-11-22T14:34:51Z"),
				// resque-web accepts these failed_at forms too; Jesque writes the second
				// one
				Arguments.of("2026-01-02T03:04:05.123Z", "2026-01-02T03:04:05.123Z"),
				Arguments.of("2026-01-02T03:04:05.123+0000", "2026-01-02T03:04:05.123Z"),
				Arguments.of("2026-01-02T04:04:05.123+0100", "2026-01-02T03:04:05.123Z"),
				// surrounding white space is tolerated
				Arguments.of("  2026-11-22T14:35:51+00:00 ", "2026-11-22T14:35:51Z"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("readableTimes")
	void parseReadsEveryFormatRubyResqueAndJesqueWrite(String text, String expected) {
		assertThat(RubyTime.parse(text)).contains(Instant.parse(expected));
	}

	@ParameterizedTest(name = "\"{0}\"")
	@NullAndEmptySource
	@ValueSource(strings = { " ", "junk", "yesterday", "1795358091", "1795358091000", "1795358091.5",
			"2026-13-45T99:99:99Z", "2026/11/22", "14:34:41", "2026/11/22 14:34:41 NOT_A_ZONE" })
	void parseAnswersEmptyForJunkAndEpochNumbers(String text) {
		assertThat(RubyTime.parse(text)).isEmpty();
	}

	@Test
	void everyRenderedFormReadsBackToTheSameSecond() {
		ZonedDateTime time = Instant.parse("2026-11-22T14:34:42Z").atZone(BERLIN);
		assertThat(RubyTime.parse(RubyTime.timeToS(time))).contains(time.toInstant());
		assertThat(RubyTime.parse(RubyTime.runAt(time.toInstant()))).contains(time.toInstant());
		assertThat(RubyTime.parse(RubyTime.heartbeat(time.toEpochSecond()))).contains(time.toInstant());
		assertThat(RubyTime.parse(RubyTime.failedAt(time))).contains(time.toInstant());
		assertThat(RubyTime.parse(RubyTime.failedAt(time.withZoneSameInstant(ZoneOffset.UTC))))
			.contains(time.toInstant());
	}

}
