package io.github.resquepool.job;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JobRegistry}.
 */
class JobRegistryTests {

	private final JobRegistry registry = new JobRegistry();

	@Test
	void findsRegisteredHandlersByExactName() {
		JobHandler welcome = handler("Mailers::Welcome", "welcome");
		this.registry.register(welcome);
		assertThat(this.registry.find("Mailers::Welcome")).containsSame(welcome);
		assertThat(this.registry.find("mailers::welcome")).isEmpty();
		assertThat(this.registry.find(null)).isEmpty();
	}

	@Test
	void keepsRegistrationOrder() {
		JobHandler second = handler("B", "second");
		JobHandler first = handler("A", "first");
		JobHandler third = handler("C", "third");
		this.registry.register(second);
		this.registry.register(first);
		this.registry.register(third);
		assertThat(this.registry.names()).containsExactly("B", "A", "C");
		assertThat(this.registry.handlers()).containsExactly(second, first, third);
	}

	@Test
	void snapshotsAreUnmodifiable() {
		this.registry.register(handler("A", "first"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.registry.names().remove("A"));
	}

	@Test
	void duplicateNamesFailWithBothSources() {
		this.registry.register(handler("Mailers::Welcome", "welcome"));
		assertThatExceptionOfType(DuplicateResqueJobException.class)
			.isThrownBy(() -> this.registry.register(handler("Mailers::Welcome", "second")))
			.withMessage("Two @ResqueJob handlers claim the Resque class \"Mailers::Welcome\": " + Jobs.class.getName()
					+ "#welcome(long, String) and " + Jobs.class.getName() + "#second()")
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("Mailers::Welcome");
				assertThat(ex.getFirst()).isEqualTo(Jobs.class.getName() + "#welcome(long, String)");
				assertThat(ex.getSecond()).isEqualTo(Jobs.class.getName() + "#second()");
			});
		assertThat(this.registry.find("Mailers::Welcome"))
			.hasValueSatisfying((handler) -> assertThat(handler.method().getName()).isEqualTo("welcome"));
	}

	private static JobHandler handler(String name, String methodName) {
		Method method = ReflectionUtils.findMethod(Jobs.class, methodName, (Class<?>[]) null);
		return new JobHandler(name, new Jobs(), method, null, JsonMapper::shared);
	}

	static class Jobs {

		void welcome(long userId, String locale) {
		}

		void first() {
		}

		void second() {
		}

		void third() {
		}

	}

}
