package io.github.resquepool.scheduler.cron;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Next and previous occurrences, checked against the cases of fugit's own
 * {@code test/cron_test.rb}.
 */
class FugitCronNextTests {

	private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	@ParameterizedTest(name = "{0} from {2} in {3} -> {1}")
	@CsvSource(delimiter = '|', value = { "* * * * *|2017-01-02 12:01:00|2017-01-02 12:00:00|UTC",
			"5 0 * * *|2017-01-03 00:05:00|2017-01-02 12:00:00|UTC",
			"15 14 1 * *|2017-02-01 14:15:00|2017-01-02 12:00:00|UTC",
			"0 0 1 1 *|2018-01-01 00:00:00|2017-01-02 12:00:00|UTC",
			"* * 29 * *|2016-02-29 00:00:00|2016-02-01 00:00:00|UTC",
			"* * L * *|2016-02-29 00:00:00|2016-02-01 00:00:00|UTC",
			"* * last * *|2016-02-29 00:00:00|2016-02-01 00:00:00|UTC",
			"* * -1 * *|2016-02-29 00:00:00|2016-02-01 00:00:00|UTC",
			"0 0 -4,-3 * *|2016-02-26 00:00:00|2016-02-01 00:00:00|UTC",
			"0 0 -4,-3 * *|2016-02-27 00:00:00|2016-02-26 12:00:00|UTC",
			"* * * * sun|2017-01-08 00:00:00|2017-01-02 12:00:00|UTC",
			"* * -2 * *|2017-01-30 00:00:00|2017-01-02 12:00:00|UTC",
			"* * * * mon#2|2017-01-09 00:00:00|2017-01-02 12:00:00|UTC",
			"* * * * mon#-1|2017-01-30 00:00:00|2017-01-02 12:00:00|UTC",
			"* * * * tue#L|2017-01-31 00:00:00|2017-01-02 12:00:00|UTC",
			"* * * * mon#2,tue|2016-12-06 00:00:00|2016-12-01 00:00:00|UTC",
			"* * * * mon#2,tue|2016-12-12 00:00:00|2016-12-07 00:00:00|UTC",
			"0 0 * * mon#2,tue|2017-01-31 00:00:00|2017-01-30 00:00:00|UTC",
			"00 24 * * *|2017-01-02 00:00:00|2017-01-01 12:00:00|UTC",
			"30 04 1,15 * 5|2017-01-06 04:30:00|2017-01-03 00:00:00|UTC",
			"30 04 1,15 * 5|2017-01-15 04:30:00|2017-01-14 00:00:00|UTC",
			"30 04 1,15 * 5|2017-01-20 04:30:00|2017-01-16 00:00:00|UTC",
			"0 8 L * mon-thu|2018-06-30 08:00:00|2018-06-28 18:00:00|Europe/Berlin",
			"0 9 -2 * *|2018-06-29 09:00:00|2018-06-28 18:00:00|Europe/Berlin",
			"0 0 -5 * *|2018-07-27 00:00:00|2018-06-28 18:00:00|Europe/Berlin",
			"0 9 29 feb *|2016-02-29 09:00:00|2016-01-23 00:00:00|UTC",
			"59 6 1-7 * 2|2020-03-17 06:59:00|2020-03-15 07:29:00|UTC",
			"59 6 1-7 * 2|2020-03-01 06:59:00|2020-02-29 07:29:00|UTC",
			"0 0 29 2 0,6|2022-02-05 00:00:00|2021-12-27 09:47:00|UTC",
			"0 0 11 * 3-6|2021-12-29 00:00:00|2021-12-27 09:47:00|UTC",
			"0 9 * * sat%2|2019-01-05 09:00:00|2019-01-01 09:00:00|UTC",
			"0 10 * * sun%2|2019-04-14 10:00:00|2019-04-11 09:00:00|Europe/Berlin",
			"0 10 * * sun%2+1|2019-04-21 10:00:00|2019-04-11 09:00:00|Europe/Berlin",
			"0 8 * * 1%2+2|2021-05-03 08:00:00|2021-04-21 07:00:00|UTC",
			"59 18 * * 2#2|2021-02-09 18:59:00|2021-02-09 17:41:10|UTC",
			"15/30 * * * *|2021-02-09 19:15:00|2021-02-09 19:00:00|UTC",
			"15-40/30 * * * *|2021-02-09 20:15:00|2021-02-09 19:30:00|UTC",
			"30 18 * * 2#5|2022-03-29 18:30:00|2022-03-08 00:00:00|Europe/Paris",
			"0 0 */2 * 1-5|2022-08-10 00:00:00|2022-08-09 00:00:00|UTC",
			"0 0 */2 * 1-5&|2022-08-11 00:00:00|2022-08-09 00:00:00|UTC",
			"0 0 */2& * 1-5|2022-08-11 00:00:00|2022-08-09 00:00:00|UTC",
			"59 6 1-7 * 2&|2020-04-07 06:59:00|2020-03-15 00:00:00|UTC",
			"0 0 1 jan *|2026-01-01 00:00:00|2025-02-27 00:00:00|Australia/Melbourne",
			"0 8-19/4 * * *|2020-09-11 16:00:00|2020-09-11 12:00:00|America/New_York",
			"15 5 0 * * *|2017-01-01 00:05:15|2017-01-01 00:00:00|UTC",
			"15,30 5 0 * * *|2017-01-01 00:05:30|2017-01-01 00:05:15|UTC",
			"15,30 5 0 * * *|2017-01-02 00:05:15|2017-01-01 00:05:31|UTC",
			"0 0 29 2 *|2028-02-29 00:00:00|2024-02-29 00:00:00|UTC",
			"0 0 13 * fri|2024-09-13 00:00:00|2024-09-06 00:00:00|UTC",
			"0 0 13 * fri|2024-10-04 00:00:00|2024-09-27 00:00:00|UTC",
			"0 0 13 * fri|2024-10-11 00:00:00|2024-10-04 00:00:00|UTC",
			"0 0 13 * fri|2024-10-13 00:00:00|2024-10-11 00:00:00|UTC",
			"0 0 13 * fri&|2024-12-13 00:00:00|2024-09-13 00:00:00|UTC",
			"* * * * * *|2024-01-01 00:00:01|2024-01-01 00:00:00|UTC",
			"*/5 * * * * *|2024-01-01 00:00:05|2024-01-01 00:00:00.5|UTC",
			"10-40/5 * * * *|2024-01-01 00:40:00|2024-01-01 00:35:00|UTC",
			"10-40/5 * * * *|2024-01-01 01:10:00|2024-01-01 00:40:00|UTC",
			"55-5/5 * * * *|2024-01-01 01:00:00|2024-01-01 00:55:00|UTC",
			"0 22-2 * * *|2024-01-02 00:00:00|2024-01-01 23:00:00|UTC",
			"0 0 * nov-feb *|2024-11-01 00:00:00|2024-03-01 00:00:00|UTC",
			"0 0 * * 7|2024-01-07 00:00:00|2024-01-01 00:00:00|UTC",
			"@hourly|2024-01-01 01:00:00|2024-01-01 00:00:00|UTC",
			"@monthly|2024-02-01 00:00:00|2024-01-01 00:00:00|UTC",
			"@weekly|2024-01-07 00:00:00|2024-01-01 00:00:00|UTC", "@noon|2024-01-01 12:00:00|2024-01-01 00:00:00|UTC",
			"@yearly|2025-01-01 00:00:00|2024-01-01 00:00:00|UTC" })
	void nextMatchesFugit(String cron, String expected, String from, String zone) {
		ZonedDateTime after = LocalDateTime.parse(from.replace(' ', 'T')).atZone(ZoneId.of(zone));
		ZonedDateTime next = FugitCron.parse(cron).next(after);
		assertThat(next.format(PLAIN)).isEqualTo(expected);
		assertThat(next.getZone()).isEqualTo(ZoneId.of(zone));
	}

	@Test
	void nextIsStrictlyAfterAnOccurrence() {
		ZonedDateTime occurrence = ZonedDateTime.parse("2024-01-01T05:00:00Z");
		assertThat(FugitCron.parse("0 5 * * *").next(occurrence)).isEqualTo("2024-01-02T05:00:00Z");
	}

	@Test
	void nextAfterSkipsToTheNextLeapYearForFebruaryTheTwentyNinth() {
		FugitCron cron = FugitCron.parse("0 0 29 2 *");
		assertThat(cron.next(ZonedDateTime.parse("2096-03-01T00:00:00Z"))).isEqualTo("2104-02-29T00:00:00Z");
	}

	@Test
	void nextComputesInTheCronZoneAndAnswersInTheZoneOfTheStart() {
		FugitCron cron = FugitCron.parse("* * * * * Europe/Rome");
		ZonedDateTime tbilisi = ZonedDateTime.of(2017, 3, 25, 21, 59, 0, 0, ZoneId.of("Asia/Tbilisi"));
		assertThat(cron.next(tbilisi).toOffsetDateTime()).hasToString("2017-03-25T22:00+04:00");
		FugitCron newYear = FugitCron.parse("0 0 1 1 * Europe/Rome");
		assertThat(newYear.next(tbilisi).toOffsetDateTime()).hasToString("2018-01-01T03:00+04:00");
	}

	@Test
	void nextOfAnInstantUsesTheCronZone() {
		FugitCron cron = FugitCron.parse("0 5 * * * Europe/Berlin");
		assertThat(cron.next(Instant.parse("2024-07-01T00:00:00Z"))).isEqualTo("2024-07-01T03:00:00Z");
		assertThat(FugitCron.parse("*/5 * * * * America/New_York").next(Instant.parse("2024-07-01T00:02:00Z")))
			.isEqualTo("2024-07-01T00:05:00Z");
		assertThat(FugitCron.parse("0 12 * * * +09:00").next(Instant.parse("2024-07-01T00:00:00Z")))
			.isEqualTo("2024-07-01T03:00:00Z");
	}

	@Test
	void nextStepsEveryMinuteOverTheSpringForwardGap() {
		assertThat(walk("* * * * *", "2015-03-08T01:57:00", "America/Los_Angeles", 4)).containsExactly(
				"2015-03-08T01:58-08:00", "2015-03-08T01:59-08:00", "2015-03-08T03:00-07:00", "2015-03-08T03:01-07:00");
	}

	@Test
	void nextSkipsADailyTimeThatTheSpringForwardGapRemoves() {
		assertThat(walk("30 2 * * *", "2024-03-09T12:00:00", "America/New_York", 2))
			.containsExactly("2024-03-11T02:30-04:00", "2024-03-12T02:30-04:00");
	}

	@Test
	void nextKeepsTheWallClockTimeAcrossSpringForward() {
		assertThat(walk("30 4 * * *", "2021-03-12T12:00:00", "America/New_York", 3))
			.containsExactly("2021-03-13T04:30-05:00", "2021-03-14T04:30-04:00", "2021-03-15T04:30-04:00");
		assertThat(walk("0 0 * * 1", "2021-03-14T12:00:00", "Europe/Zurich", 3))
			.containsExactly("2021-03-15T00:00+01:00", "2021-03-22T00:00+01:00", "2021-03-29T00:00+02:00");
	}

	@Test
	void nextFiresOnceInTheRepeatedHourWhenTheClockFallsBack() {
		assertThat(walk("15 * * * *", "2015-11-01T00:14:00", "America/Los_Angeles", 4)).containsExactly(
				"2015-11-01T00:15-07:00", "2015-11-01T01:15-07:00", "2015-11-01T02:15-08:00", "2015-11-01T03:15-08:00");
		assertThat(walk("59 1 * * *", "2018-11-03T00:00:00", "America/New_York", 3))
			.containsExactly("2018-11-03T01:59-04:00", "2018-11-04T01:59-04:00", "2018-11-05T01:59-05:00");
	}

	@Test
	void nextFiresEveryQuarterHourThroughBothInstancesOfTheRepeatedHour() {
		assertThat(walk("*/15 * * * *", "2024-11-03T01:40:00", "America/New_York", 3))
			.containsExactly("2024-11-03T01:45-04:00", "2024-11-03T01:00-05:00", "2024-11-03T01:15-05:00");
	}

	@Test
	void nextTreatsTheLastDayOfA23HourMonthEndAsFugitDoes() {
		// March 31st 2024 had 23 hours in Berlin: fugit then takes L as the 30th
		assertThat(walk("0 12 L * *", "2024-03-01T00:00:00", "Europe/Berlin", 1))
			.containsExactly("2024-03-30T12:00+01:00");
		assertThat(walk("0 12 L * *", "2024-03-01T00:00:00", "UTC", 1)).containsExactly("2024-03-31T12:00Z");
	}

	@Test
	void nextFindsEverySecondWithoutScanning() {
		FugitCron cron = FugitCron.parse("* * * * * *");
		ZonedDateTime t = ZonedDateTime.parse("2024-12-31T23:59:58Z");
		t = cron.next(t);
		assertThat(cron.next(t)).isEqualTo("2025-01-01T00:00:00Z");
	}

	@Test
	void nextGivesUpOnALineThatNeverOccurs() {
		assertThatIllegalStateException()
			.isThrownBy(() -> FugitCron.parse("0 0 1 * mon#5&").next(ZonedDateTime.parse("2024-01-01T00:00:00Z")))
			.withMessageContaining("too many steps for \"0 0 1 * mon#5&\"");
	}

	@Test
	void previousFindsTheLastOccurrenceStrictlyBefore() {
		assertThat(FugitCron.parse("15 5 0 * * *").previous(ZonedDateTime.parse("2017-01-01T00:00:00Z")))
			.isEqualTo("2016-12-31T00:05:15Z");
		assertThat(FugitCron.parse("15,30 5 0 * * *").previous(ZonedDateTime.parse("2017-01-01T00:05:30Z")))
			.isEqualTo("2017-01-01T00:05:15Z");
		assertThat(FugitCron.parse("0 9 29 feb *").previous(ZonedDateTime.parse("2017-03-01T00:00:00Z")))
			.isEqualTo("2016-02-29T09:00:00Z");
		assertThat(FugitCron.parse("0 0 13 * fri").previous(ZonedDateTime.parse("2024-10-13T00:00:00Z")))
			.isEqualTo("2024-10-11T00:00:00Z");
	}

	@Test
	void previousStepsBackByTheCalendarOverDst() {
		ZonedDateTime march = ZonedDateTime.of(2024, 3, 20, 10, 0, 0, 0, ZoneId.of("America/New_York"));
		assertThat(FugitCron.parse("0 23 * 2 *").previous(march).toOffsetDateTime())
			.hasToString("2024-02-29T23:00-05:00");
		assertThat(FugitCron.parse("0 0 * * *").previous(Instant.parse("2024-01-01T00:00:01Z").atZone(ZoneOffset.UTC)))
			.isEqualTo("2024-01-01T00:00:00Z");
	}

	@Test
	void matchesTellsOccurrences() {
		FugitCron cron = FugitCron.parse("0 0 13 * fri");
		assertThat(cron.matches(ZonedDateTime.parse("2024-10-13T00:00:00Z"))).isTrue();
		assertThat(cron.matches(ZonedDateTime.parse("2024-10-11T00:00:00Z"))).isTrue();
		assertThat(cron.matches(ZonedDateTime.parse("2024-10-12T00:00:00Z"))).isFalse();
		assertThat(cron.matches(ZonedDateTime.parse("2024-10-11T00:00:01Z"))).isFalse();
		assertThat(FugitCron.parse("0 5 * * * Europe/Berlin").matches(ZonedDateTime.parse("2024-07-01T03:00:00Z")))
			.isTrue();
	}

	private static List<String> walk(String cron, String from, String zone, int count) {
		FugitCron parsed = FugitCron.parse(cron);
		ZonedDateTime t = LocalDateTime.parse(from).atZone(ZoneId.of(zone));
		List<String> times = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			t = parsed.next(t);
			times.add(t.toOffsetDateTime().toString());
		}
		return times;
	}

}
