package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import io.github.resquepool.resque.JobPayload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs handlers on the payloads Rails 6.1.7.10 wrote ({@link ActiveJobCaptures}), through
 * {@link JobContext#of} and {@link JobInvoker}, as a worker does.
 */
class ActiveJobPayloadTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final List<Object> received = new ArrayList<>();

	private final Jobs jobs = new Jobs(this.received);

	@Test
	void readsTheJobHashOfPerformLater() {
		JobContext context = context(ActiveJobCaptures.performLater("invoice"));
		assertThat(context.className()).isEqualTo("SendInvoiceJob");
		assertThat(context.isActiveJob()).isTrue();
		assertThat(context.jobId()).isEqualTo("e8c728f8-d872-4b62-ab86-41928fcf1e79");
		assertThat(context.executions()).isZero();
		assertThat(context.enqueuedAt()).isEqualTo(Instant.parse("2026-12-01T22:06:35Z"));
		assertThat(context.locale()).isEqualTo("en");
		assertThat(context.providerJobId()).isNull();
		assertThat(context.activeJob().queueName()).isEqualTo("invoices");
		assertThat(context.activeJob().priority()).isNull();
		assertThat(context.activeJob().timezone()).isNull();
		assertThat(context.payload()).startsWith("{\"class\":\"ActiveJob::QueueAdapters::ResqueAdapter::JobWrapper\"");
	}

	@Test
	void readsPriorityTimezoneAndRails71Times() {
		assertThat(context(ActiveJobCaptures.performLater("set_queue_priority")).activeJob().priority()).isEqualTo(5);
		assertThat(context(ActiveJobCaptures.performLater("enqueued_inside_time_zone")).activeJob().timezone())
			.isEqualTo("Europe/Berlin");
		// Rails 7.1+ (core.rb): iso8601(9) and scheduled_at
		String rails71 = ActiveJobCaptures.performLater("invoice")
			.replace("\"enqueued_at\":\"2026-12-01T22:06:35Z\"",
					"\"enqueued_at\":\"2026-12-01T22:06:35.123456789Z\",\"scheduled_at\":\"2026-12-01T22:11:35.500000000Z\"");
		ActiveJobPayload job = context(rails71).activeJob();
		assertThat(job.enqueuedAt()).isEqualTo(Instant.parse("2026-12-01T22:06:35.123456789Z"));
		assertThat(job.scheduledAt()).isEqualTo(Instant.parse("2026-12-01T22:11:35.5Z"));
	}

	@Test
	void aPlainResquePayloadIsNoActiveJob() {
		JobContext context = context("{\"class\":\"SendInvoiceJob\",\"args\":[42]}");
		assertThat(context.isActiveJob()).isFalse();
		assertThat(context.jobId()).isNull();
		assertThat(context.executions()).isNull();
		assertThat(context("{\"class\":\"" + ActiveJobPayload.WRAPPER_CLASS + "\",\"args\":[1]}").isActiveJob())
			.isFalse();
	}

	@Test
	void bindsPerformLaterArgumentsByPosition() {
		assertThat(run("invoice", "invoice").outcome()).isEqualTo(JobResult.Outcome.PERFORMED);
		assertThat(this.received).containsExactly(42L, "EUR", Map.of("a", 1), "e8c728f8-d872-4b62-ab86-41928fcf1e79");
	}

	@Test
	void keywordArgumentsArriveAsAPlainMap() {
		run("KeywordsJob", "keywords", "keyword_arguments");
		Map<String, Object> keywords = new java.util.LinkedHashMap<>();
		keywords.put("currency", "EUR");
		keywords.put("note", null);
		assertThat(this.received).containsExactly(42L, keywords);
	}

	@Test
	void keywordArgumentsBindToARecord() {
		run("KeywordsJob", "keywordsRecord", "keyword_arguments");
		assertThat(this.received).containsExactly(42L, new Options("EUR", null));
	}

	@Test
	void symbolKeyedStringKeyedAndIndifferentHashesLoseTheirMarkers() {
		run("oneMap", "symbol_keyed_hash");
		run("oneMap", "string_keyed_hash");
		run("oneMap", "mixed_keyed_hash");
		run("oneMap", "indifferent_access");
		assertThat(this.received).containsExactly(Map.of("a", 1, "b", Map.of("c", 2)),
				Map.of("a", 1, "b", Map.of("c", 2)), Map.of("a", 1, "b", 2), Map.of("a", 1, "b", 2));
	}

	@Test
	void globalIdsBindToGlobalIdOrString() {
		run("globalIds", "globalid");
		assertThat(this.received).containsExactly(new GlobalId("interop", "Customer", "7", Map.of()),
				List.of(GlobalId.parse("gid://interop/Customer/8")), Map.of("c", "gid://interop/Customer/9"));
		assertThat(((GlobalId) this.received.get(0)).modelIdAsLong()).isEqualTo(7);
	}

	@Test
	void timesDatesAndDurationsBindToJavaTime() {
		run("time", "time_utc");
		run("time", "time_offset");
		run("zoned", "time_with_zone");
		run("zoned", "datetime");
		run("date", "date");
		run("durations", "duration");
		assertThat(this.received).containsExactly(Instant.parse("2026-01-02T03:04:05.123456789Z"),
				Instant.parse("2026-01-02T02:04:05Z"), Instant.parse("2026-07-01T10:00:00.5Z"),
				Instant.parse("2026-01-02T01:04:05.25Z"), LocalDate.of(2026, 1, 2), Duration.ofMinutes(5),
				Duration.ofSeconds(2802546), Duration.ofSeconds(90));
	}

	@Test
	void symbolsModulesBigDecimalsNestedValuesAndFloats() {
		run("symbols", "symbol");
		run("modules", "module");
		run("decimals", "bigdecimal");
		run("nested", "nested");
		run("floats", "floats_bigints");
		assertThat(this.received).containsExactly("eur", List.of("a", "b"), "Customer", "ActiveJob", "1234.5678",
				"0.00000000000000000001", Map.of("a", List.of(1, Map.of("b", "c"))),
				List.of(java.util.Arrays.asList(null, true, false)), 1.0e-05, 10000000.0, 0.1, 1.5,
				new BigInteger("18446744073709551616"));
	}

	@Test
	void stringsArriveDecoded() {
		run("strings", "strings");
		assertThat(this.received).containsExactly("é € 😀 a/b", "<b>&amp;</b>", "\u2028\u2029", "\t\u0001\u007f");
	}

	@Test
	void noArguments() {
		assertThat(run("none", "no_arguments").outcome()).isEqualTo(JobResult.Outcome.PERFORMED);
		assertThat(this.received).containsExactly("none");
	}

	@Test
	void rails71BigDecimalSerializerBindsExactly() {
		String payload = ActiveJobCaptures.performLater("bigdecimal")
			.replace("\"arguments\":[\"1234.5678\",\"0.00000000000000000001\"]",
					"\"arguments\":[{\"_aj_serialized\":\"ActiveJob::Serializers::BigDecimalSerializer\",\"value\":\"1234.5678\"}]");
		assertThat(invoke("decimal", payload).outcome()).isEqualTo(JobResult.Outcome.PERFORMED);
		assertThat(this.received).containsExactly(new BigDecimal("1234.5678"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e999999999", "1e-999999999", "-3.5E+2147483647" })
	void aBigDecimalWithAHugeExponentIsAnArgumentFailureWithoutRunning(String value) throws Exception {
		String payload = ActiveJobCaptures.performLater("bigdecimal")
			.replace("\"arguments\":[\"1234.5678\",\"0.00000000000000000001\"]",
					"\"arguments\":[{\"_aj_serialized\":\"ActiveJob::Serializers::BigDecimalSerializer\",\"value\":\""
							+ value + "\"}]");
		JobResult result = CompletableFuture.supplyAsync(() -> invoke("decimal", payload)).get(5, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).isInstanceOf(JobArgumentException.class).hasMessageContaining("exponent");
		assertThat(this.received).isEmpty();
	}

	@Test
	void anUnknownRubySerializerIsAFailureNamingIt() {
		String payload = ActiveJobCaptures.performLater("invoice")
			.replace("\"arguments\":[42,\"EUR\",{\"a\":1,\"_aj_symbol_keys\":[]}]",
					"\"arguments\":[42,\"EUR\",{\"a\":{\"_aj_serialized\":\"MoneySerializer\",\"cents\":100},\"_aj_symbol_keys\":[]}]");
		JobResult result = invoke("invoice", payload);
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).isInstanceOf(UnsupportedActiveJobArgumentException.class)
			.hasMessageStartingWith(
					"SendInvoiceJob argument 3 at .a is a Ruby object written by the ActiveJob serializer "
							+ "\"MoneySerializer\", which Java cannot read: {\"_aj_serialized\":\"MoneySerializer\",\"cents\":100}");
		assertThat(((UnsupportedActiveJobArgumentException) result.error()).serializer()).isEqualTo("MoneySerializer");
	}

	@Test
	void aWrongArgumentCountNamesTheRailsJobClass() {
		JobResult result = run("oneMap", "invoice");
		assertThat(result.error()).isInstanceOf(JobArgumentException.class)
			.hasMessageStartingWith("SendInvoiceJob takes 1 argument (Map<String, Object> map) but the payload has 3");
	}

	private JobResult run(String method, String capture) {
		return run("SendInvoiceJob", method, capture);
	}

	private JobResult run(String jobClass, String method, String capture) {
		return invoke(jobClass, method, ActiveJobCaptures.performLater(capture));
	}

	private JobResult invoke(String method, String payload) {
		return invoke("SendInvoiceJob", method, payload);
	}

	private JobResult invoke(String jobClass, String method, String payload) {
		Method handler = ReflectionUtils.findMethod(Jobs.class, method, (Class<?>[]) null);
		JobRegistry registry = new JobRegistry();
		registry.register(new JobHandler(jobClass, this.jobs, handler, null, () -> mapper));
		JobPayload parsed = JobPayload.parse(payload);
		JobContext context = JobContext.of(parsed.className(), "invoices", "host:1:invoices", payload, parsed.args());
		return new JobInvoker(registry, List.of(), () -> mapper).invoke(context, parsed.args());
	}

	private static JobContext context(String payload) {
		JobPayload parsed = JobPayload.parse(payload);
		return JobContext.of(parsed.className(), "invoices", "host:1:invoices", payload, parsed.args());
	}

	record Options(String currency, String note) {
	}

	static class Jobs {

		private final List<Object> received;

		Jobs(List<Object> received) {
			this.received = received;
		}

		void invoice(long id, String currency, Map<String, Object> options, JobContext context) {
			this.received.addAll(java.util.Arrays.asList(id, currency, options, context.jobId()));
		}

		void keywords(long id, Map<String, Object> keywords) {
			this.received.add(id);
			this.received.add(keywords);
		}

		void keywordsRecord(long id, Options options) {
			this.received.add(id);
			this.received.add(options);
		}

		void oneMap(Map<String, Object> map) {
			this.received.add(map);
		}

		void globalIds(GlobalId customer, List<GlobalId> customers, Map<String, String> byKey) {
			this.received.addAll(List.of(customer, customers, byKey));
		}

		void time(Instant time) {
			this.received.add(time);
		}

		void zoned(OffsetDateTime time) {
			this.received.add(time.toInstant());
		}

		void date(LocalDate date) {
			this.received.add(date);
		}

		void durations(Duration a, Duration b, Duration c) {
			this.received.addAll(List.of(a, b, c));
		}

		void symbols(String symbol, List<String> symbols) {
			this.received.add(symbol);
			this.received.add(symbols);
		}

		void modules(String a, String b) {
			this.received.add(a);
			this.received.add(b);
		}

		void decimals(String a, String b) {
			this.received.add(a);
			this.received.add(b);
		}

		void decimal(BigDecimal a) {
			this.received.add(a);
		}

		void nested(List<Object> nested) {
			this.received.addAll(nested);
		}

		void floats(double a, double b, double c, double d, BigInteger e) {
			this.received.addAll(List.of(a, b, c, d, e));
		}

		void strings(String a, String b, String c, String d) {
			this.received.addAll(List.of(a, b, c, d));
		}

		void none(JobContext context) {
			this.received.add("none");
		}

	}

}
