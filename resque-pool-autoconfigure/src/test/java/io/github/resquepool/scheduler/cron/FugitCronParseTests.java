package io.github.resquepool.scheduler.cron;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Parsing as {@code Fugit::Cron.parse} does; expansions are those of fugit's
 * {@code test/cron_test.rb}.
 */
class FugitCronParseTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"0 22 * * 1-5|seconds=[0] minutes=[0] hours=[22] monthdays=* months=* weekdays=[1, 2, 3, 4, 5]",
			"0 22 * * 7|seconds=[0] minutes=[0] hours=[22] monthdays=* months=* weekdays=[0]",
			"0 23 * * 6-1|seconds=[0] minutes=[0] hours=[23] monthdays=* months=* weekdays=[0, 1, 6]",
			"58-2/2 * * * 5-1/2|seconds=[0] minutes=[0, 2, 58] hours=* monthdays=* months=* weekdays=[0, 5]",
			"0 0 * * */2|seconds=[0] minutes=[0] hours=[0] monthdays=* months=* weekdays=[0, 2, 4, 6]",
			"0 0 * * 3/2|seconds=[0] minutes=[0] hours=[0] monthdays=* months=* weekdays=[3]",
			"0 0 * * */0|seconds=[0] minutes=[0] hours=[0] monthdays=* months=* weekdays=[0, 1, 2, 3, 4, 5, 6]",
			"*/15 * * * *|seconds=[0] minutes=[0, 15, 30, 45] hours=* monthdays=* months=* weekdays=*",
			"/15 /4 * * *|seconds=[0] minutes=[0, 15, 30, 45] hours=[0, 4, 8, 12, 16, 20] monthdays=* months=* weekdays=*",
			"15-40/30 * * * *|seconds=[0] minutes=[15] hours=* monthdays=* months=* weekdays=*",
			"0 7/5 * * *|seconds=[0] minutes=[0] hours=[7, 12, 17, 22] monthdays=* months=* weekdays=*",
			"* 22-24 * * *|seconds=[0] minutes=* hours=[0, 22, 23] monthdays=* months=* weekdays=*",
			"* */24 * * *|seconds=[0] minutes=* hours=[0] monthdays=* months=* weekdays=*",
			"1 */1 * * *|seconds=[0] minutes=[1] hours=* monthdays=* months=* weekdays=*",
			"1 0-23/1 * * *|seconds=[0] minutes=[1] hours=* monthdays=* months=* weekdays=*",
			"0 23 30-3 * *|seconds=[0] minutes=[0] hours=[23] monthdays=[1, 2, 3, 30, 31] months=* weekdays=*",
			"0 19 * nov-mar 0|seconds=[0] minutes=[0] hours=[19] monthdays=* months=[1, 2, 3, 11, 12] weekdays=[0]",
			"* * * Jan-Aug/2 *|seconds=[0] minutes=* hours=* monthdays=* months=[1, 3, 5, 7] weekdays=*",
			"* * -7--1/2 * *|seconds=[0] minutes=* hours=* monthdays=[-7, -5, -3, -1] months=* weekdays=*",
			"* * -1--27 * *|seconds=[0] minutes=* hours=* monthdays=[-31, -30, -29, -28, -27, -1] months=* weekdays=*",
			"* * 25-L * *|seconds=[0] minutes=* hours=* monthdays=[25, 26, 27, 28, 29, 30, 31] months=* weekdays=*",
			"* * 1-31 * fri|seconds=[0] minutes=* hours=* monthdays=* months=* weekdays=[5]",
			"* * * * sun,Sun,0,7|seconds=[0] minutes=* hours=* monthdays=* months=* weekdays=[0]",
			"* * * * *,mon|seconds=[0] minutes=* hours=* monthdays=* months=* weekdays=[1]",
			"*,5 * * * *|seconds=[0] minutes=* hours=* monthdays=* months=* weekdays=*",
			"',,10,,20, * * * *'|seconds=[0] minutes=[10, 20] hours=* monthdays=* months=* weekdays=*",
			"'10, 20 * * *'|seconds=[0] minutes=[10] hours=[20] monthdays=* months=* weekdays=*",
			"* * 30,31 2,3 *|seconds=[0] minutes=* hours=* monthdays=[30, 31] months=[3] weekdays=*",
			"* * 31 3,4 *|seconds=[0] minutes=* hours=* monthdays=[31] months=[3] weekdays=*",
			"* 5 0 * * *|seconds=* minutes=[5] hours=[0] monthdays=* months=* weekdays=*",
			"5 0 * * * *|seconds=[5] minutes=[0] hours=* monthdays=* months=* weekdays=*" })
	void parseExpandsFieldsAsFugitDoes(String cron, String expected) {
		assertThat(FugitCron.parse(cron).describe()).isEqualTo(expected + " and=false zone=null");
	}

	@Test
	void parseReadsHashAndModuloWeekdays() {
		assertThat(FugitCron.parse("0 0 * * mon#L,tue").describe()).contains("weekdays=[1#-1, 2]");
		assertThat(FugitCron.parse("* * * * sun%2+1").describe()).contains("weekdays=[0%2+1]");
		assertThat(FugitCron.parse("* * * * 7#last").describe()).contains("weekdays=[0#-1]");
	}

	@Test
	void parseNotesTheAndOfEitherDayField() {
		assertThat(FugitCron.parse("0 0 13 * fri").describe()).contains("and=false");
		assertThat(FugitCron.parse("0 0 13 * fri&").describe()).contains("and=true");
		assertThat(FugitCron.parse("0 0 13& * fri").describe()).contains("and=true");
	}

	@Test
	void parseExpandsMacros() {
		assertThat(FugitCron.parse("@daily").describe()).isEqualTo(FugitCron.parse("0 0 * * *").describe());
		assertThat(FugitCron.parse("@midnight").describe()).isEqualTo(FugitCron.parse("0 0 * * *").describe());
		assertThat(FugitCron.parse("@annually").describe()).isEqualTo(FugitCron.parse("0 0 1 1 *").describe());
		assertThat(FugitCron.parse("@noon Asia/Jakarta").zone()).contains(ZoneId.of("Asia/Jakarta"));
	}

	@Test
	void toStringIsTheOriginalText() {
		assertThat(FugitCron.parse("  0 5 * * * Europe/Berlin ")).hasToString("  0 5 * * * Europe/Berlin ");
		assertThat(FugitCron.parse("@hourly")).hasToString("@hourly");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "0 5 * * * Europe/Berlin|Europe/Berlin", "* * * * * UTC|UTC",
			"*/5 * * * * America/New_York|America/New_York",
			"* * * * * America/Argentina/Buenos_Aires|America/Argentina/Buenos_Aires", "* * * * * Etc/GMT+5|Etc/GMT+5",
			"* * * * * EST5EDT|EST5EDT", "* * * * * Europe/Berlinx|Europe/Berlin", "* * * * * GMT+5|GMT",
			"* * * * * UTC-11|Etc/GMT+11", "* * * * * CST5CDT|CST6CDT", "0 5 * * 1 UTC|UTC",
			"5 0 * * * * Asia/Tokyo|Asia/Tokyo", "'* * * * *   UTC'|UTC" })
	void parseResolvesZonesAsEtOrbiDoes(String cron, String zone) {
		assertThat(FugitCron.parse(cron).zone()).contains(ZoneId.of(zone));
	}

	@Test
	void parseReadsOffsetZones() {
		assertThat(FugitCron.parse("* * * * * +09:00").zone()).contains(ZoneOffset.ofHours(9));
		assertThat(FugitCron.parse("* * * * * +0900").zone()).contains(ZoneOffset.ofHours(9));
		assertThat(FugitCron.parse("0 0/12 * * * -09:00").zone()).contains(ZoneOffset.ofHours(-9));
		assertThat(FugitCron.parse("* * * * * -05:30").zone()).contains(ZoneOffset.ofHoursMinutes(-5, -30));
		assertThat(FugitCron.parse("* * * * * UTC+0").zone()).contains(ZoneOffset.UTC);
		assertThat(FugitCron.parse("* * * * *").zone()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"* 25 * * *|invalid cron string \"* 25 * * *\": hour field \"25\": cannot read \"5 * * *\"; expected 0-23 (or 24), *, a range a-b, a step /n, or a list of those",
			"60 * * * *|invalid cron string \"60 * * * *\": minute field \"60\": cannot read \"0 * * * *\"; expected 0-59, *, a range a-b, a step /n, or a list of those",
			"* * 0 * *|invalid cron string \"* * 0 * *\": day-of-month field \"0\": cannot read \"0 * *\"; expected 1-31, L, last or -1 to -31, *, a range a-b, a step /n, or a list of those",
			"* * -32 * *|invalid cron string \"* * -32 * *\": day-of-month field \"-32\": cannot read \"2 * *\"; expected 1-31, L, last or -1 to -31, *, a range a-b, a step /n, or a list of those",
			"* * * 13 *|invalid cron string \"* * * 13 *\": month field \"13\": cannot read \"3 *\"; expected 1-12 or jan-dec, *, a range a-b, a step /n, or a list of those",
			"* * * 0 *|invalid cron string \"* * * 0 *\": month field \"0\": cannot read \"0 *\"; expected 1-12 or jan-dec, *, a range a-b, a step /n, or a list of those",
			"* * * * 8|invalid cron string \"* * * * 8\": day-of-week field \"8\": cannot read \"8\"; expected 0-7 or sun-sat, with #1 to #5, #-1 to #-5 or #L, or %n+m, *, a range a-b, a step /n, or a list of those",
			"* * * * monday|invalid cron string \"* * * * monday\": unexpected \"day\" after the day-of-week field; a time zone is a name like Europe/Berlin or UTC, or an offset like +09:00",
			"* * * january *|invalid cron string \"* * * january *\": month field \"january\": cannot read \"uary *\"; expected 1-12 or jan-dec, *, a range a-b, a step /n, or a list of those",
			"*/0 * * * *|invalid cron string \"*/0 * * * *\": minute field: step /0 must be at least 1",
			"* * */0 * *|invalid cron string \"* * */0 * *\": day-of-month field: step /0 must be at least 1",
			"*/-1 * * * *|invalid cron string \"*/-1 * * * *\": minute field \"*/-1\": cannot read \"/-1 * * * \"; expected 0-59, *, a range a-b, a step /n, or a list of those",
			"* * L/2 * *|invalid cron string \"* * L/2 * *\": day-of-month field: both start and end must be negative in the range -1 to 31",
			"* * -3-5 * *|invalid cron string \"* * -3-5 * *\": day-of-month field: both start and end must be negative in the range -3 to 5",
			"* * 30 2 *|invalid cron string \"* * 30 2 *\": day-of-month and month fields: no day 30 exists in month 2",
			"0 0 30 2 fri|invalid cron string \"0 0 30 2 fri\": day-of-month and month fields: no day 30 exists in month 2",
			"* * 31 4,6,9,11 *|invalid cron string \"* * 31 4,6,9,11 *\": day-of-month and month fields: no day 31 exists in month 4,6,9,11",
			"* * * * sun%0|invalid cron string \"* * * * sun%0\": day-of-week field: modulo %0 must be at least 1",
			"~ * * * *|invalid cron string \"~ * * * *\": minute field \"~\": fugit's random ranges (~) are not supported",
			"15~45 * * * *|invalid cron string \"15~45 * * * *\": minute field \"15~45\": fugit's random ranges (~) are not supported",
			"* * * *|invalid cron string \"* * * *\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), optionally followed by a time zone, but found 4",
			"''|invalid cron string \"\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), optionally followed by a time zone, but found 0",
			"* * * * * * * *|invalid cron string \"* * * * * * * *\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), optionally followed by a time zone, but found 8",
			"* * * * * * 2024|invalid cron string \"* * * * * * 2024\": unexpected \"2024\" after the day-of-week field; a time zone is a name like Europe/Berlin or UTC, or an offset like +09:00",
			"* 61 * * * *|invalid cron string \"* 61 * * * *\": minute field \"61\": cannot read \"1 * * * *\"; expected 0-59, *, a range a-b, a step /n, or a list of those",
			"0 5 * * * America/SaoPaulo|invalid cron string \"0 5 * * * America/SaoPaulo\": unknown time zone \"America/SaoPaulo\": not a tz database zone",
			"0 5 * * * Nowhere|invalid cron string \"0 5 * * * Nowhere\": unknown time zone \"Nowhere\": not a tz database zone",
			"0 5 * * * UTC+5|invalid cron string \"0 5 * * * UTC+5\": unknown time zone \"UTC+5\": tzinfo lists UTC+5 but cannot load it",
			"0 5 * * * EST-5|invalid cron string \"0 5 * * * EST-5\": unknown time zone \"EST-5\": zone abbreviations with an offset are not supported, use a name like America/New_York",
			"0 5 * * * +12:00|invalid cron string \"0 5 * * * +12:00\": unknown time zone \"+12:00\": et-orbi accepts offsets up to 11:59 only",
			"0 5 * * * Issy_Les_Moulineaux|invalid cron string \"0 5 * * * Issy_Les_Moulineaux\": unexpected \"_Les_Moulineaux\" after the day-of-week field; a time zone is a name like Europe/Berlin or UTC, or an offset like +09:00",
			"0 5 * * * +01:20|invalid cron string \"0 5 * * * +01:20\": unexpected \"+01:20\" after the day-of-week field; a time zone is a name like Europe/Berlin or UTC, or an offset like +09:00",
			"0 5 * * * utc|invalid cron string \"0 5 * * * utc\": day-of-week field \"utc\": cannot read \"utc\"; expected 0-7 or sun-sat, with #1 to #5, #-1 to #-5 or #L, or %n+m, *, a range a-b, a step /n, or a list of those",
			"@reboot|invalid cron string \"@reboot\": @reboot has no time to compute",
			"@DAILY|invalid cron string \"@DAILY\": unknown macro @DAILY, expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @noon or @hourly",
			"every day at 3|invalid cron string \"every day at 3\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), optionally followed by a time zone, but found 4",
			"'* * * * *\tUTC'|invalid cron string \"* * * * *\tUTC\": unexpected \"UTC\" after the day-of-week field; a time zone is a name like Europe/Berlin or UTC, or an offset like +09:00" })
	void parseRejectsWhatFugitRejectsSayingWhy(String cron, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> FugitCron.parse(cron)).withMessage(message);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1 ,2 * * * *", "* * * * * */-1", "0 5 * * * Europe/Berlin extra" })
	void parseRejectsOtherLinesFugitRejects(String cron) {
		assertThatIllegalArgumentException().isThrownBy(() -> FugitCron.parse(cron))
			.withMessageStartingWith("invalid cron string \"" + cron + "\": ");
	}

	@Test
	void parseRejectsNull() {
		assertThatIllegalArgumentException().isThrownBy(() -> FugitCron.parse(null))
			.withMessage("invalid cron string null");
	}

}
