package io.github.resquepool.job;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for binding a payload's {@code args} in {@link JobHandler}.
 */
class JobHandlerBindingTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final JobContext context = new JobContext("Mailers::Welcome", "mail", "host:1:mail",
			"{\"class\":\"Mailers::Welcome\",\"args\":[]}");

	@Test
	void bindsNumbersStringsAndBooleansByPosition() {
		assertThat(bind("scalars", "[42, 7, 1.5, true, \"en\", 3, 12.25]")).containsExactly(42L, 7, 1.5, true, "en", 3L,
				new BigDecimal("12.25"));
	}

	@Test
	void bindsWholeNumbersIntoDecimalParameters() {
		assertThat(bind("decimal", "[2]")).containsExactly(2.0);
	}

	@Test
	void bindsNullIntoReferenceTypes() {
		assertThat(bind("boxed", "[null, null]")).containsExactly(null, null);
	}

	@Test
	void bindsGenericListsAndMaps() {
		Object[] arguments = bind("collections", "[[1, 2, 3], {\"a\": 1, \"b\": [\"x\"], \"c\": {\"d\": null}}]");
		assertThat(arguments[0]).isEqualTo(List.of(1, 2, 3));
		assertThat(arguments[1]).isEqualTo(Map.of("a", 1, "b", List.of("x"), "c", Collections.singletonMap("d", null)));
	}

	@Test
	void bindsRecordsWithNestedRecordLists() {
		Object[] arguments = bind("report",
				"[{\"name\": \"sales\", \"from\": \"2026-01-31\", \"lines\": [{\"sku\": \"A-1\", \"quantity\": 3}]}]");
		assertThat(arguments[0])
			.isEqualTo(new ReportRequest("sales", LocalDate.of(2026, 1, 31), List.of(new Line("A-1", 3))));
	}

	@Test
	void bindsPojos() {
		Object[] arguments = bind("pojo", "[{\"email\": \"a@example.com\", \"vip\": true}]");
		assertThat(arguments[0]).isInstanceOfSatisfying(Recipient.class, (recipient) -> {
			assertThat(recipient.getEmail()).isEqualTo("a@example.com");
			assertThat(recipient.isVip()).isTrue();
		});
	}

	@Test
	void passesContextAsFirstParameterWithoutCountingIt() {
		assertThat(bind("contextFirst", "[1, \"x\"]")).containsExactly(context, 1L, "x");
		assertThat(handler("contextFirst").argumentCount()).isEqualTo(2);
	}

	@Test
	void passesContextAsMiddleParameterWithoutCountingIt() {
		assertThat(bind("contextMiddle", "[1, \"x\"]")).containsExactly(1L, context, "x");
	}

	@Test
	void passesContextAsLastParameterWithoutCountingIt() {
		assertThat(bind("contextLast", "[1, \"x\"]")).containsExactly(1L, "x", context);
	}

	@Test
	void passesContextAloneWhenThereAreNoArguments() {
		assertThat(bind("contextOnly", "[]")).containsExactly(context);
		assertThat(handler("contextOnly").bindArguments(null, context)).containsExactly(context);
	}

	@Test
	void tooManyArgumentsFailWithTheSignature() {
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("welcome", "[42, \"en\", 3]"))
			.withMessage("Mailers::Welcome takes 2 arguments (long userId, String locale) but the payload has 3");
	}

	@Test
	void missingTrailingArgumentsAreNotDefaulted() {
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("welcome", "[42]"))
			.withMessage("Mailers::Welcome takes 2 arguments (long userId, String locale) but the payload has 1");
	}

	@Test
	void countMismatchNamesGenericTypesAndSkipsTheContext() {
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("collectionsWithContext", "[]"))
			.withMessage("Mailers::Welcome takes 1 argument (List<Integer> ids) but the payload has 0");
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("contextOnly", "[1]"))
			.withMessage("Mailers::Welcome takes no arguments but the payload has 1");
	}

	@Test
	void nullIntoPrimitiveFails() {
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("welcome", "[null, \"en\"]"))
			.withMessage("Mailers::Welcome argument 1 (long userId) cannot be bound from null: a long cannot be null");
	}

	@Test
	void stringIntoLongFails() {
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("welcome", "[\"42\", \"en\"]"))
			.withMessage("Mailers::Welcome argument 1 (long userId) cannot be bound from \"42\": "
					+ "expected a whole number, got a string");
	}

	@Test
	void decimalIntoIntFails() {
		assertThatExceptionOfType(JobArgumentException.class)
			.isThrownBy(() -> bind("scalars", "[42, 7.5, 1.5, true, \"en\", 3, 1]"))
			.withMessage("Mailers::Welcome argument 2 (int count) cannot be bound from 7.5: "
					+ "expected a whole number, got a decimal number");
	}

	@Test
	void numberOutOfRangeFails() {
		assertThatExceptionOfType(JobArgumentException.class)
			.isThrownBy(() -> bind("scalars", "[42, 3000000000, 1.5, true, \"en\", 3, 1]"))
			.withMessage("Mailers::Welcome argument 2 (int count) cannot be bound from 3000000000: "
					+ "out of range for an int");
	}

	@Test
	void numberIntoBooleanFails() {
		assertThatExceptionOfType(JobArgumentException.class)
			.isThrownBy(() -> bind("scalars", "[42, 7, 1.5, 1, \"en\", 3, 1]"))
			.withMessage("Mailers::Welcome argument 4 (boolean enabled) cannot be bound from 1: "
					+ "expected true or false, got a whole number");
	}

	@Test
	void wrongShapeForRecordFailsWithJacksonsReason() {
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("report", "[[1, 2]]"))
			.withMessageStartingWith("Mailers::Welcome argument 1 (ReportRequest request) cannot be bound from [1,2]: ")
			.withCauseInstanceOf(JacksonException.class);
	}

	@Test
	void nestedValuesAreNotCoercedEither() {
		assertThatExceptionOfType(JobArgumentException.class)
			.isThrownBy(() -> bind("report",
					"[{\"name\": \"sales\", \"lines\": [{\"sku\": \"A-1\", \"quantity\": \"3\"}]}]"))
			.withMessageContaining("argument 1 (ReportRequest request)")
			.withMessageContaining("at .lines[0].quantity: ")
			.withMessageNotContaining("CoercionConfig");
		assertThatExceptionOfType(JobArgumentException.class).isThrownBy(() -> bind("collections", "[[1, 2.5], {}]"))
			.withMessageContaining("argument 1 (List<Integer> ids)")
			.withMessageContaining("at [1]: ")
			.withMessageNotContaining("CoercionConfig");
	}

	@Test
	void longValuesAreCutInMessages() {
		String value = "x".repeat(500);
		assertThatExceptionOfType(JobArgumentException.class)
			.isThrownBy(() -> bind("welcome", "[\"" + value + "\", \"en\"]"))
			.withMessageContaining("\"" + "x".repeat(99) + "... (502 characters): expected a whole number")
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(250));
	}

	private static Object[] bind(String methodName, String argsJson) {
		return handler(methodName).bindArguments((ArrayNode) mapper.readTree(argsJson), context);
	}

	private static JobHandler handler(String methodName) {
		Method method = ReflectionUtils.findMethod(Jobs.class, methodName, (Class<?>[]) null);
		return new JobHandler("Mailers::Welcome", new Jobs(), method, null, () -> mapper);
	}

	static class Jobs {

		void welcome(long userId, String locale) {
		}

		void scalars(long id, int count, double ratio, boolean enabled, String locale, Long boxed, BigDecimal amount) {
		}

		void decimal(double ratio) {
		}

		void boxed(Integer count, String locale) {
		}

		void collections(List<Integer> ids, Map<String, Object> attributes) {
		}

		void collectionsWithContext(JobContext context, List<Integer> ids) {
		}

		void report(ReportRequest request) {
		}

		void pojo(Recipient recipient) {
		}

		void contextFirst(JobContext context, long id, String name) {
		}

		void contextMiddle(long id, JobContext context, String name) {
		}

		void contextLast(long id, String name, JobContext context) {
		}

		void contextOnly(JobContext context) {
		}

	}

	record ReportRequest(String name, LocalDate from, List<Line> lines) {
	}

	record Line(String sku, int quantity) {
	}

	static class Recipient {

		private String email;

		private boolean vip;

		public String getEmail() {
			return this.email;
		}

		public void setEmail(String email) {
			this.email = email;
		}

		public boolean isVip() {
			return this.vip;
		}

		public void setVip(boolean vip) {
			this.vip = vip;
		}

	}

}
