package io.github.resquepool.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code every:} values as resque-scheduler hands them to rufus-scheduler.
 */
class EveryIntervalTests {

	@Test
	void parseReadsADurationString() {
		assertThat(EveryInterval.parse("1h30m"))
			.isEqualTo(new EveryInterval(Duration.ofMinutes(90), Optional.empty(), Optional.empty()));
	}

	@Test
	void parseReadsNumbersAsSeconds() {
		assertThat(EveryInterval.parse(90).interval()).isEqualTo(Duration.ofSeconds(90));
		assertThat(EveryInterval.parse(90L).interval()).isEqualTo(Duration.ofSeconds(90));
		assertThat(EveryInterval.parse(1.5).interval()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void parseReadsTheArrayFormWithFirstIn() {
		EveryInterval every = EveryInterval.parse(List.of("30s", Map.of("first_in", "2m")));
		assertThat(every.interval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(every.firstIn()).contains(Duration.ofMinutes(2));
		assertThat(every.firstAt()).isEmpty();
	}

	@Test
	void parseReadsAFirstInGivenInSecondsOrWithASymbolKey() {
		assertThat(EveryInterval.parse(List.of("30s", Map.of("first_in", 10))).firstIn())
			.contains(Duration.ofSeconds(10));
		assertThat(EveryInterval.parse(List.of("30s", Map.of(":first_in", "1h"))).firstIn())
			.contains(Duration.ofHours(1));
		assertThat(EveryInterval.parse(List.of("30s", Map.of("first_in", 0))).firstIn()).contains(Duration.ZERO);
	}

	@Test
	void parseKeepsAFirstAtThatIsNoDurationAsText() {
		EveryInterval every = EveryInterval.parse(List.of("1d", Map.of("first_at", "2030-01-01 10:00:00")));
		assertThat(every.firstIn()).isEmpty();
		assertThat(every.firstAt()).contains("2030-01-01 10:00:00");
	}

	/**
	 * The expected instants are what Debian's rufus-scheduler 3.8.2 (et-orbi) printed for
	 * {@code every('1d', first_at: text, job: true).first_at.utc} with
	 * {@code TZ=Europe/Berlin}.
	 */
	@Test
	void firstAtIsTheFirstFiringInEveryFormRufusReads() {
		Instant loaded = Instant.parse("2029-06-01T00:00:00Z");
		ZoneId berlin = ZoneId.of("Europe/Berlin");
		Map<String, Instant> forms = new LinkedHashMap<>();
		forms.put("2030-01-01 10:00:00", Instant.parse("2030-01-01T09:00:00Z"));
		forms.put("2030-01-01 10:00", Instant.parse("2030-01-01T09:00:00Z"));
		forms.put("2030-01-01 10:00:00 UTC", Instant.parse("2030-01-01T10:00:00Z"));
		forms.put("2030-01-01 10:00:00 +0200", Instant.parse("2030-01-01T08:00:00Z"));
		forms.put("2030-01-01 10:00:00 America/New_York", Instant.parse("2030-01-01T15:00:00Z"));
		forms.put("2030-01-01T10:00:00Z", Instant.parse("2030-01-01T10:00:00Z"));
		forms.put("2030-01-01T10:00:00-01:00", Instant.parse("2030-01-01T11:00:00Z"));
		forms.put("2030-01-01T10:00:00", Instant.parse("2030-01-01T09:00:00Z"));
		forms.forEach((text,
				expected) -> assertThat(
						EveryInterval.parse(List.of("1d", Map.of("first_at", text))).first(loaded, berlin))
					.as(text)
					.isEqualTo(expected));
	}

	@Test
	void aFirstAtInThePastKeepsItsPhase() {
		EveryInterval every = EveryInterval.parse(List.of("1h", Map.of("first_at", "2030-01-01T10:15:00Z")));
		assertThat(every.first(Instant.parse("2030-01-03T07:40:00Z"), ZoneId.of("UTC")))
			.isEqualTo(Instant.parse("2030-01-03T08:15:00Z"));
		assertThat(every.first(Instant.parse("2030-01-03T08:15:00Z"), ZoneId.of("UTC")))
			.isEqualTo(Instant.parse("2030-01-03T08:15:00Z"));
	}

	@Test
	void firstInOrNowOrNothingCountFromTheLoad() {
		Instant loaded = Instant.parse("2030-01-01T00:00:00Z");
		assertThat(EveryInterval.parse(List.of("1h", Map.of("first_in", "5m"))).first(loaded, ZoneId.of("UTC")))
			.isEqualTo(loaded.plusSeconds(300));
		assertThat(EveryInterval.parse(List.of("1h", Map.of("first_at", "now"))).first(loaded, ZoneId.of("UTC")))
			.isEqualTo(loaded);
		assertThat(EveryInterval.parse("1h").first(loaded, ZoneId.of("UTC"))).isEqualTo(loaded.plusSeconds(3600));
	}

	@Test
	void aPublishedEntryLeavesOutAFirstAtThatWouldKillARubySchedulerOnceItIsPast() {
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		ScheduleEntry at = ScheduleEntry.of("daily", null,
				json.readTree("[\"1d\",{\"first_at\":\"2030-01-01 10:00:00\"}]"), "Daily", "ops", null, null);
		assertThat(at.toJson()).isEqualTo("{\"every\":\"1d\",\"class\":\"Daily\",\"queue\":\"ops\",\"args\":[]}");
		assertThat(at.every().firstAt()).contains("2030-01-01 10:00:00");
		ScheduleEntry in = ScheduleEntry.of("soon", null, json.readTree("[\"1d\",{\"first_in\":\"5s\"}]"), "Soon",
				"ops", null, null);
		assertThat(in.toJson()).startsWith("{\"every\":[\"1d\",{\"first_in\":\"5s\"}],");
	}

	@Test
	void aFirstAtThatIsNoTimeIsRefusedWithTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EveryInterval.parse(List.of("1h", Map.of("first_at", "next tuesday"))))
			.withMessageContaining("\"next tuesday\" is neither a duration nor a time");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EveryInterval.parse(List.of("1h", Map.of("first_at", "2030-01-01 10:00:00 Mars/Base"))))
			.withMessageContaining("is no time");
	}

	@Test
	void parsePrefersFirstOverFirstTimeOverFirstAtOverFirstIn() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("first_in", "4m");
		options.put("first_at", "3m");
		options.put("first_time", "2m");
		assertThat(EveryInterval.parse(List.of("30s", options)).firstIn()).contains(Duration.ofMinutes(2));
		options.put("first", "1m");
		assertThat(EveryInterval.parse(List.of("30s", options)).firstIn()).contains(Duration.ofMinutes(1));
		options.put("first", false);
		assertThat(EveryInterval.parse(List.of("30s", options)).firstIn()).contains(Duration.ofMinutes(2));
	}

	@Test
	void parseIgnoresOptionsOfLongerArraysAndArraysNotEndingInAHash() {
		assertThat(EveryInterval.parse(List.of("30s", "1m", Map.of("first_in", "2m"))))
			.isEqualTo(new EveryInterval(Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
		assertThat(EveryInterval.parse(List.of("30s", "2m")).firstIn()).isEmpty();
		assertThat(EveryInterval.parse(List.of("45s")).interval()).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void parseRejectsAnIntervalThatIsNotPositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse("0s"))
			.withMessage("every: the frequency must be positive, got \"0s\"");
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse("-5m"))
			.withMessage("every: the frequency must be positive, got \"-5m\"");
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse(0))
			.withMessage("every: the frequency must be positive, got 0");
	}

	@Test
	void parseRejectsWhatIsNoDuration() {
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse("often"))
			.withMessageStartingWith("every: not a duration \"often\"");
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse(List.of()))
			.withMessage("every: an empty array holds no duration");
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse(List.of(Map.of("first_in", "1m"))))
			.withMessage("every: expected a duration string or a number of seconds, got {first_in=1m}");
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse(Double.NaN))
			.withMessage("every: NaN is not a number of seconds");
		assertThatIllegalArgumentException().isThrownBy(() -> EveryInterval.parse(null))
			.withMessage("every: expected a duration string or a number of seconds, got null");
	}

	@Test
	void parseRejectsAFirstInInThePast() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EveryInterval.parse(List.of("30s", Map.of("first_in", "-1m"))))
			.withMessage("every: cannot set first_in in the past: \"-1m\"");
	}

}
