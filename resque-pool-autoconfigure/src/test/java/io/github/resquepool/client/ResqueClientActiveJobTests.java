package io.github.resquepool.client;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.github.resquepool.job.ActiveJobArguments;
import io.github.resquepool.job.ActiveJobCaptures;
import io.github.resquepool.job.GlobalId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the ActiveJob payloads {@link ResqueClient#enqueueActiveJob} writes, compared
 * with what Rails 6.1.7.10 wrote ({@code interop/captured/activejob-6.1/perform_later/}).
 */
class ResqueClientActiveJobTests {

	private final ResqueClient client = new ResqueClient(null, JsonMapper.builder().build(), false);

	@Test
	void writesTheWrapperRails61WritesForStringKeys() {
		String captured = ActiveJobCaptures.performLater("invoice");
		String written = this.client.activeJobPayload("invoices", "SendInvoiceJob",
				"e8c728f8-d872-4b62-ab86-41928fcf1e79", 42, "EUR", ActiveJobArguments.stringKeys(Map.of("a", 1)));
		assertThat(withoutEnqueuedAt(written)).isEqualTo(withoutEnqueuedAt(captured));
		assertThat(written).matches(".*\"enqueued_at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"}]}$");
	}

	@Test
	void mapsGetSymbolKeysAtEveryLevel() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("a", 1);
		map.put("b", Map.of("c", 2));
		assertThat(arguments(map)).isEqualTo(arguments(ActiveJobCaptures.performLater("symbol_keyed_hash")));
	}

	@Test
	void keywordsGlobalIdsSymbolsAndTimesAsRailsWritesThem() {
		Map<String, Object> keywords = new LinkedHashMap<>();
		keywords.put("currency", "EUR");
		keywords.put("note", null);
		assertThat(arguments(42, ActiveJobArguments.keywords(keywords)))
			.isEqualTo(arguments(ActiveJobCaptures.performLater("keyword_arguments")));
		assertThat(arguments(ActiveJobArguments.symbol("eur"),
				List.of(ActiveJobArguments.symbol("a"), ActiveJobArguments.symbol("b"))))
			.isEqualTo(arguments(ActiveJobCaptures.performLater("symbol")));
		assertThat(arguments(Instant.parse("2026-01-02T03:04:05.123456789Z")))
			.isEqualTo(arguments(ActiveJobCaptures.performLater("time_utc")));
		assertThat(arguments(OffsetDateTime.parse("2026-01-02T03:04:05+01:00")))
			.isEqualTo(arguments(ActiveJobCaptures.performLater("time_offset")));
		assertThat(arguments(LocalDate.of(2026, 1, 2))).isEqualTo(arguments(ActiveJobCaptures.performLater("date")));
		assertThat(arguments(GlobalId.of("interop", "Customer", 7), List.of(GlobalId.parse("gid://interop/Customer/8")),
				ActiveJobArguments.stringKeys(Map.of("c", GlobalId.parse("gid://interop/Customer/9")))))
			.isEqualTo(arguments(ActiveJobCaptures.performLater("globalid")));
		assertThat(arguments(ZonedDateTime.parse("2026-07-01T12:00:00.5+02:00[Europe/Berlin]"))).isEqualTo(
				"[{\"_aj_serialized\":\"ActiveJob::Serializers::TimeWithZoneSerializer\",\"value\":\"2026-07-01T12:00:00.500000000+02:00\",\"time_zone\":\"Europe/Berlin\"}]");
		assertThat(arguments(Duration.ofSeconds(90))).isEqualTo(
				"[{\"_aj_serialized\":\"ActiveJob::Serializers::DurationSerializer\",\"value\":90,\"parts\":[[{\"_aj_serialized\":\"ActiveJob::Serializers::SymbolSerializer\",\"value\":\"seconds\"},90]]}]");
	}

	@Test
	void refusesWhatRailsRefuses() {
		assertThatIllegalArgumentException().isThrownBy(() -> arguments(Map.of("_aj_globalid", "x")))
			.withMessageContaining("reserves");
		assertThatIllegalArgumentException().isThrownBy(() -> arguments(Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> arguments(java.time.LocalDateTime.now()))
			.withMessageContaining("no Rails equivalent");
	}

	@Test
	void eachJobGetsAFreshUuid() {
		assertThat(this.client.activeJobPayload("q", "A", java.util.UUID.randomUUID().toString()))
			.isNotEqualTo(this.client.activeJobPayload("q", "A", java.util.UUID.randomUUID().toString()));
	}

	private String arguments(Object... args) {
		return arguments(this.client.activeJobPayload("invoices", "SendInvoiceJob", "id", args));
	}

	private static String arguments(String payload) {
		int start = payload.indexOf("\"arguments\":") + "\"arguments\":".length();
		int end = payload.indexOf(",\"executions\":");
		return payload.substring(start, end);
	}

	private static String withoutEnqueuedAt(String payload) {
		return payload.replaceAll("\"enqueued_at\":\"[^\"]*\"", "");
	}

}
