package io.github.resquepool.resque;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries of Resque's {@code failed} list (wire contract section 10): written with Ruby's
 * keys in Ruby's order, read from what Ruby 2.x/3.x, Jesque and this pool write.
 */
class FailureRecordTests {

	/** The contract's observed entry, byte for byte. */
	static final String RUBY_EXAMPLE = "{\"failed_at\":\"2026/11/22 14:34:41 UTC\","
			+ "\"payload\":{\"class\":\"HarnessJobs::Fail\",\"args\":[\"boom\"]},\"exception\":\"ArgumentError\","
			+ "\"error\":\"HarnessJobs::Fail always fails (args=[\\\"boom\\\"])\","
			+ "\"backtrace\":[\"<file>:80:in `perform'\"],\"worker\":\"vm:11458:e2e\",\"queue\":\"e2e\","
			+ "\"retried_at\":\"2026/11/22 14:34:51 UTC\"}";

	@Test
	void toJsonWritesTheContractExampleByteForByte() {
		FailureRecord record = new FailureRecord("2026/11/22 14:34:41 UTC",
				"{\"class\":\"HarnessJobs::Fail\",\"args\":[\"boom\"]}", "ArgumentError",
				"HarnessJobs::Fail always fails (args=[\"boom\"])", List.of("<file>:80:in `perform'"), "vm:11458:e2e",
				"e2e", "2026/11/22 14:34:51 UTC");
		assertThat(record.toJson()).isEqualTo(RUBY_EXAMPLE);
	}

	@Test
	void toJsonOmitsRetriedAtUntilRetried() {
		FailureRecord record = new FailureRecord("2026/11/22 14:34:41 UTC", "{\"class\":\"A\",\"args\":[]}", "E", "",
				List.of(), "h:1-1:q", "q", null);
		assertThat(record.toJson()).isEqualTo("{\"failed_at\":\"2026/11/22 14:34:41 UTC\",\"payload\":{\"class\":\"A\","
				+ "\"args\":[]},\"exception\":\"E\",\"error\":\"\",\"backtrace\":[],\"worker\":\"h:1-1:q\",\"queue\":\"q\"}");
		assertThat(record.withRetriedAt("2026/11/22 14:35:00 UTC").toJson())
			.endsWith(",\"queue\":\"q\",\"retried_at\":\"2026/11/22 14:35:00 UTC\"}");
	}

	@Test
	void toJsonKeepsTheKeysInRubysOrder() {
		String json = new FailureRecord("t", "{}", "E", "m", List.of("f"), "w", "q", "r").toJson();
		List<String> keys = List.of("\"failed_at\"", "\"payload\"", "\"exception\"", "\"error\"", "\"backtrace\"",
				"\"worker\"", "\"queue\"", "\"retried_at\"");
		int previous = -1;
		for (String key : keys) {
			int at = json.indexOf(key);
			assertThat(at).as(key).isGreaterThan(previous);
			previous = at;
		}
	}

	@Test
	void toJsonEmbedsAPayloadObjectExactlyAsTakenIncludingExtraKeys() {
		String payload = "{\"class\":\"Acme::Billing\",\"args\":[1,\"x\"],\"id\":\"j-1\",\"enqueued_at\":1795358091.5}";
		String json = new FailureRecord("t", payload, "E", "m", List.of(), "w", "q", null).toJson();
		assertThat(json).contains(",\"payload\":" + payload + ",\"exception\":");
	}

	@Test
	void toJsonStoresATextThatIsNoJsonObjectAsAJsonString() {
		assertThat(new FailureRecord("t", "not json", "E", "m", List.of(), "w", "q", null).toJson())
			.contains("\"payload\":\"not json\",");
		assertThat(new FailureRecord("t", "[1,2]", "E", "m", List.of(), "w", "q", null).toJson())
			.contains("\"payload\":\"[1,2]\",");
		assertThat(new FailureRecord("t", "{\"class\":", "E", "m", List.of(), "w", "q", null).toJson())
			.contains("\"payload\":\"{\\\"class\\\":\",");
	}

	@Test
	void toJsonWritesUnicodeRawAndEscapesQuotesBackslashesAndControlCharacters() {
		String json = new FailureRecord("t", "{}", "E", "é \"q\" \\ \n\t", List.of("ü"), "w", "q", null).toJson();
		assertThat(json).contains("\"error\":\"é \\\"q\\\" \\\\ \\n\\t\"").contains("\"backtrace\":[\"ü\"]");
	}

	@Test
	void nullBacktraceBecomesEmptyArray() {
		FailureRecord record = new FailureRecord("t", "{}", "E", "m", null, "w", "q", null);
		assertThat(record.backtrace()).isEmpty();
		assertThat(record.toJson()).contains("\"backtrace\":[]");
	}

	@Test
	void parseReadsTheRubyExampleWithRetriedAt() {
		FailureRecord record = FailureRecord.parse(RUBY_EXAMPLE).orElseThrow();
		assertThat(record.failedAt()).isEqualTo("2026/11/22 14:34:41 UTC");
		assertThat(record.payload()).isEqualTo("{\"class\":\"HarnessJobs::Fail\",\"args\":[\"boom\"]}");
		assertThat(record.exception()).isEqualTo("ArgumentError");
		assertThat(record.error()).isEqualTo("HarnessJobs::Fail always fails (args=[\"boom\"])");
		assertThat(record.backtrace()).containsExactly("<file>:80:in `perform'");
		assertThat(record.worker()).isEqualTo("vm:11458:e2e");
		assertThat(record.queue()).isEqualTo("e2e");
		assertThat(record.retriedAt()).isEqualTo("2026/11/22 14:34:51 UTC");
		assertThat(record.jobClass()).contains("HarnessJobs::Fail");
	}

	@Test
	void rubyEntryReadAndWrittenAgainIsUnchanged() {
		assertThat(FailureRecord.parse(RUBY_EXAMPLE).orElseThrow().toJson()).isEqualTo(RUBY_EXAMPLE);
	}

	@Test
	void rubyEntryWithFloatsReadAndWrittenAgainKeepsRubysNumberFormat() {
		// Ruby's Float#to_s writes 1795358091.5, not 1.7953580915E9
		String entry = RUBY_EXAMPLE.replace("\"args\":[\"boom\"]}",
				"\"args\":[1795358091.5],\"enqueued_at\":12345678.25}");
		assertThat(FailureRecord.parse(entry).orElseThrow().toJson()).isEqualTo(entry);
	}

	@Test
	void parseReadsAResque2EntryWithAZonelessRetriedAt() {
		String entry = RUBY_EXAMPLE.replace("\"retried_at\":\"2026/11/22 14:34:51 UTC\"",
				"\"retried_at\":\"2026/11/22 14:34:51\"");
		FailureRecord record = FailureRecord.parse(entry).orElseThrow();
		assertThat(record.retriedAt()).isEqualTo("2026/11/22 14:34:51");
		assertThat(RubyTime.parse(record.retriedAt())).isPresent();
	}

	@Test
	void parseToleratesANullWorkerAStringBacktraceAndMissingFields() {
		String entry = "{\"failed_at\":\"2026/11/22 14:34:41 UTC\",\"payload\":{\"class\":\"A\",\"args\":[]},"
				+ "\"exception\":\"RuntimeError\",\"error\":null,\"backtrace\":\"one line\",\"worker\":null}";
		FailureRecord record = FailureRecord.parse(entry).orElseThrow();
		assertThat(record.worker()).isNull();
		assertThat(record.error()).isNull();
		assertThat(record.backtrace()).containsExactly("one line");
		assertThat(record.queue()).isNull();
		assertThat(record.retriedAt()).isNull();
	}

	@Test
	void parseReadsAJesqueEntry() {
		String entry = "{\"worker\":\"host:4242-1:JAVA_DYNAMIC_QUEUES,q\",\"queue\":\"q\",\"payload\":{\"class\":\"Foo\","
				+ "\"args\":[1],\"vars\":{}},\"exception\":\"java.lang.IllegalStateException\",\"error\":\"bad\","
				+ "\"backtrace\":[\"\\tat com.acme.Foo.run(Foo.java:10)\"],\"failed_at\":\"2026-01-02T03:04:05.123+0000\","
				+ "\"retried_at\":null}";
		FailureRecord record = FailureRecord.parse(entry).orElseThrow();
		assertThat(record.worker()).isEqualTo("host:4242-1:JAVA_DYNAMIC_QUEUES,q");
		assertThat(record.backtrace()).containsExactly("\tat com.acme.Foo.run(Foo.java:10)");
		assertThat(record.retriedAt()).isNull();
		assertThat(RubyTime.parse(record.failedAt())).isPresent();
		assertThat(record.jobClass()).contains("Foo");
	}

	@Test
	void parseReadsAPayloadStoredAsAString() {
		String entry = "{\"failed_at\":\"t\",\"payload\":\"not json\",\"exception\":\"E\",\"error\":\"m\",\"backtrace\":[],"
				+ "\"worker\":\"w\",\"queue\":\"q\"}";
		FailureRecord record = FailureRecord.parse(entry).orElseThrow();
		assertThat(record.payload()).isEqualTo("not json");
		assertThat(record.jobClass()).isEmpty();
		assertThat(record.toJson()).isEqualTo(entry);
	}

	@Test
	void parseAnswersEmptyForTextThatIsNoJsonObject() {
		assertThat(FailureRecord.parse("")).isEmpty();
		assertThat(FailureRecord.parse("not json")).isEmpty();
		assertThat(FailureRecord.parse("[1]")).isEmpty();
		assertThat(FailureRecord.parse("\"x\"")).isEmpty();
	}

}
