package io.github.resquepool.resque;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Job payloads (wire contract sections 3 and 5).
 */
class JobPayloadTests {

	@Test
	void renderWritesCompactClassThenArgsAndNothingElse() {
		assertThat(JobPayload.render("Mailers::Welcome", "[42,\"en\"]"))
			.isEqualTo("{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"]}");
		assertThat(JobPayload.render("Archive", "[]")).isEqualTo("{\"class\":\"Archive\",\"args\":[]}");
	}

	@Test
	void renderQuotesTheClassNameAsJson() {
		assertThat(JobPayload.render("A\"B\\C", "[]")).isEqualTo("{\"class\":\"A\\\"B\\\\C\",\"args\":[]}");
		assertThat(JobPayload.render("Café", "[]")).isEqualTo("{\"class\":\"Café\",\"args\":[]}");
	}

	@Test
	void parseReadsClassAndArgs() {
		JobPayload payload = JobPayload.parse("{\"class\":\"Mailers::Welcome\",\"args\":[42,\"en\"]}");
		assertThat(payload.className()).isEqualTo("Mailers::Welcome");
		assertThat(payload.args()).hasSize(2);
		assertThat(payload.args().get(0).asLong()).isEqualTo(42);
		assertThat(payload.args().get(1).asString()).isEqualTo("en");
	}

	@Test
	void keyOrderAndExtraTopLevelKeysAreIrrelevant() {
		JobPayload payload = JobPayload
			.parse("{\"id\":\"j-1\",\"args\":[1],\"enqueued_at\":1795358091.5,\"class\":\"Acme::Billing\"}");
		assertThat(payload.className()).isEqualTo("Acme::Billing");
		assertThat(payload.args().toString()).isEqualTo("[1]");
	}

	@Test
	void missingOrNullArgsMeanNoArguments() {
		assertThat(JobPayload.parse("{\"class\":\"A\"}").args()).isEmpty();
		assertThat(JobPayload.parse("{\"class\":\"A\",\"args\":null}").args()).isEmpty();
	}

	@Test
	void nestedArgumentsAreKept() {
		JobPayload payload = JobPayload.parse("{\"class\":\"A\",\"args\":[{\"b\":[1,{\"c\":null}]},[true,\"é\"]]}");
		assertThat(payload.args().toString()).isEqualTo("[{\"b\":[1,{\"c\":null}]},[true,\"é\"]]");
	}

	@Test
	void argsThatAreAnObjectAreRejected() {
		assertThatExceptionOfType(InvalidPayloadException.class)
			.isThrownBy(() -> JobPayload.parse("{\"class\":\"X\",\"args\":{\"a\":1}}"))
			.withMessageContaining("args")
			.withMessageContaining("object");
	}

	@Test
	void argsThatAreAScalarAreRejected() {
		assertThatExceptionOfType(InvalidPayloadException.class)
			.isThrownBy(() -> JobPayload.parse("{\"class\":\"X\",\"args\":\"a\"}"))
			.withMessageContaining("args");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "{\"args\":[1]}", "{\"class\":null,\"args\":[]}", "{\"class\":42,\"args\":[]}",
			"{\"class\":\"\",\"args\":[]}", "{\"class\":\"  \",\"args\":[]}", "{\"class\":[\"A\"],\"args\":[]}" })
	void payloadWithoutAClassStringIsRejected(String text) {
		assertThatExceptionOfType(InvalidPayloadException.class).isThrownBy(() -> JobPayload.parse(text))
			.withMessageContaining("class");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "not json", "", "{", "{\"class\":\"A\",\"args\":[1]", "{\"class\":'A'}",
			"{\"class\":\"A\",\"args\":[]} trailing" })
	void textThatIsNotJsonIsRejected(String text) {
		assertThatExceptionOfType(InvalidPayloadException.class).isThrownBy(() -> JobPayload.parse(text))
			.withMessageContaining("JSON");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "[1,2]", "\"text\"", "42", "null", "true" })
	void jsonThatIsNoObjectIsRejected(String text) {
		assertThatExceptionOfType(InvalidPayloadException.class).isThrownBy(() -> JobPayload.parse(text));
	}

	@Test
	void deeplyNestedJsonIsRejectedNotOverflowingTheStack() {
		String nested = "[".repeat(2000) + "]".repeat(2000);
		assertThatExceptionOfType(InvalidPayloadException.class)
			.isThrownBy(() -> JobPayload.parse("{\"class\":\"A\",\"args\":" + nested + "}"));
	}

	@Test
	void tryParseAnswersEmptyInsteadOfThrowing() {
		assertThat(JobPayload.tryParse(null)).isEmpty();
		assertThat(JobPayload.tryParse("not json")).isEmpty();
		assertThat(JobPayload.tryParse("{\"args\":[]}")).isEmpty();
		assertThat(JobPayload.tryParse("{\"class\":\"A\",\"args\":[1]}")).map(JobPayload::className).contains("A");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"class\":\"A\",\"args\":[1],\"args\":[2]}",
			"{\"class\":\"A\",\"class\":\"B\",\"args\":[]}", "{\"class\":\"A\",\"args\":[{\"k\":1,\"k\":2}]}" })
	void aPayloadWithADuplicateKeyIsInvalidSoNeitherValueRuns(String payload) {
		assertThatExceptionOfType(InvalidPayloadException.class).isThrownBy(() -> JobPayload.parse(payload))
			.withMessageContaining("twice");
	}

	@Test
	void aRetryRefusesAPayloadWithDuplicateArgs() {
		assertThatExceptionOfType(InvalidPayloadException.class)
			.isThrownBy(() -> JobPayload.retryPayload("{\"class\":\"A\",\"args\":[1],\"args\":[2]}"));
	}

	@Test
	void renderedPayloadParsesBack() {
		String text = JobPayload.render("Mailers::Welcome", "[42,\"en\",{\"k\":[1.5,null]}]");
		JobPayload payload = JobPayload.parse(text);
		assertThat(payload.className()).isEqualTo("Mailers::Welcome");
		assertThat(JobPayload.render(payload.className(), payload.args().toString())).isEqualTo(text);
	}

}
