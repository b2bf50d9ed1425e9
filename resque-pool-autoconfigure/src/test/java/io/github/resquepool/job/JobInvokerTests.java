package io.github.resquepool.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobInvoker}.
 */
class JobInvokerTests {

	private static final JsonMapper mapper = JsonMapper.shared();

	private final List<String> events = new ArrayList<>();

	private final JobRegistry registry = new JobRegistry();

	JobInvokerTests() {
		Jobs jobs = new Jobs(this.events);
		for (String name : List.of("Perform", "Fail", "Skip", "Interrupted")) {
			this.registry.register(new JobHandler(name, jobs,
					ReflectionUtils.findMethod(Jobs.class, name.toLowerCase(), (Class<?>[]) null), null, () -> mapper));
		}
	}

	@Test
	void hooksRunInRubyOrderAroundTheHandler() {
		JobResult result = invoke("Perform", "[\"x\"]", new Recording("b", 2), new Recording("a", 1));
		assertThat(result).isEqualTo(JobResult.performed());
		assertThat(this.events).containsExactly("before a", "before b", "around a enter", "around b enter", "perform x",
				"around b exit", "around a exit", "after a", "after b");
	}

	@Test
	void orderAnnotationsSortInterceptors() {
		invoke("Perform", "[\"x\"]", new Second(this.events), new First(this.events));
		assertThat(this.events).containsExactly("before first", "before second", "perform x");
	}

	@Test
	void dontPerformFromABeforeHookSkipsQuietly() {
		Recording a = new Recording("a", 1);
		a.skipBefore = true;
		JobResult result = invoke("Perform", "[\"x\"]", a, new Recording("b", 2));
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.NOT_PERFORMED);
		assertThat(result.error()).isInstanceOf(DontPerform.class).hasMessage("Resque::Job::DontPerform");
		assertThat(this.events).containsExactly("before a");
	}

	@Test
	void aroundHookThatDoesNotProceedSkipsTheHandlerButNotTheAfterHooks() {
		Recording b = new Recording("b", 2);
		b.proceed = false;
		JobResult result = invoke("Perform", "[\"x\"]", new Recording("a", 1), b);
		assertThat(result).isEqualTo(JobResult.notPerformed(null));
		assertThat(this.events).containsExactly("before a", "before b", "around a enter", "around b enter",
				"around b exit", "around a exit", "after a", "after b");
	}

	@Test
	void dontPerformFromTheHandlerIsAFailureAsInRuby() {
		JobResult result = invoke("Skip", "[]", new Recording("a", 1));
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).isInstanceOf(DontPerform.class);
		assertThat(this.events).containsExactly("before a", "around a enter", "skip",
				"failure a: Resque::Job::DontPerform");
	}

	@Test
	void handlerFailureCallsEachOnFailureHookOnce() {
		JobResult result = invoke("Fail", "[]", new Recording("a", 1), new Recording("b", 2));
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).isInstanceOf(IOException.class).hasMessage("boom");
		assertThat(this.events).containsExactly("before a", "before b", "around a enter", "around b enter", "fail",
				"failure a: boom", "failure b: boom");
	}

	@Test
	void beforeHookFailureFailsWithoutRunningTheHandler() {
		Recording a = new Recording("a", 1);
		a.failBefore = true;
		JobResult result = invoke("Perform", "[\"x\"]", a);
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).hasMessage("before a failed");
		assertThat(this.events).containsExactly("before a", "failure a: before a failed");
	}

	@Test
	void afterHookFailureFailsThePerformedJob() {
		Recording a = new Recording("a", 1);
		a.failAfter = true;
		JobResult result = invoke("Perform", "[\"x\"]", a);
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(this.events).containsExactly("before a", "around a enter", "perform x", "around a exit", "after a",
				"failure a: after a failed");
	}

	@Test
	void onFailureHookThatRaisesIsRecordedWithTheOriginalError() {
		Recording a = new Recording("a", 1);
		a.failOnFailure = true;
		JobResult result = invoke("Fail", "[]", a, new Recording("b", 2));
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).isExactlyInstanceOf(RuntimeException.class)
			.hasMessage("java.io.IOException: boom (and on-failure hook " + Recording.class.getName()
					+ " raised java.lang.IllegalStateException: on-failure a failed)")
			.hasCauseInstanceOf(IOException.class);
		assertThat(this.events).containsSubsequence("failure a: boom", "failure b: boom");
	}

	@Test
	void unknownClassNameFailsListingKnownNamesWithoutHooks() {
		JobResult result = invoke("java.lang.Runtime", "[]", new Recording("a", 1));
		assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
		assertThat(result.error()).isInstanceOf(UnknownJobException.class)
			.hasMessage("no @ResqueJob handler for class \"java.lang.Runtime\"; "
					+ "known: Perform, Fail, Skip, Interrupted");
		assertThat(this.events).isEmpty();
	}

	@Test
	void argumentMismatchFailsAndCallsOnFailureWithNoArguments() {
		List<Integer> argumentCounts = new ArrayList<>();
		JobInterceptor counting = new JobInterceptor() {

			@Override
			public void onFailure(JobContext job, Object[] args, Throwable error) {
				argumentCounts.add(args.length);
			}

		};
		JobResult result = invoke("Perform", "[1, 2]", counting);
		assertThat(result.error()).isInstanceOf(JobArgumentException.class)
			.hasMessage("Perform takes 1 argument (String text) but the payload has 2");
		assertThat(argumentCounts).containsExactly(0);
		assertThat(this.events).isEmpty();
	}

	@Test
	void missingArgsMeanNoArguments() {
		JobResult result = new JobInvoker(this.registry, List.of(), () -> mapper).invoke(context("Skip"), null);
		assertThat(result.error()).isInstanceOf(DontPerform.class);
	}

	@Test
	void interruptedHandlerFailsAndKeepsTheInterruptFlag() {
		try {
			JobResult result = invoke("Interrupted", "[]", new Recording("a", 1));
			assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
			assertThat(result.error()).isInstanceOf(InterruptedException.class);
			assertThat(this.events).endsWith("failure a: stop");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	private JobResult invoke(String className, String argsJson, JobInterceptor... interceptors) {
		JobInvoker invoker = new JobInvoker(this.registry, List.of(interceptors), () -> mapper);
		return invoker.invoke(context(className), (ArrayNode) mapper.readTree(argsJson));
	}

	private static JobContext context(String className) {
		return new JobContext(className, "default", "host:1:default", "{\"class\":\"" + className + "\"}");
	}

	static class Jobs {

		private final List<String> events;

		Jobs(List<String> events) {
			this.events = events;
		}

		void perform(String text) {
			this.events.add("perform " + text);
		}

		void fail() throws IOException {
			this.events.add("fail");
			throw new IOException("boom");
		}

		void skip() {
			this.events.add("skip");
			throw new DontPerform();
		}

		void interrupted() throws InterruptedException {
			throw new InterruptedException("stop");
		}

	}

	class Recording implements JobInterceptor, Ordered {

		private final String name;

		private final int order;

		boolean skipBefore;

		boolean failBefore;

		boolean proceed = true;

		boolean failAfter;

		boolean failOnFailure;

		Recording(String name, int order) {
			this.name = name;
			this.order = order;
		}

		@Override
		public int getOrder() {
			return this.order;
		}

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			JobInvokerTests.this.events.add("before " + this.name);
			if (this.skipBefore) {
				throw new DontPerform();
			}
			if (this.failBefore) {
				throw new IllegalStateException("before " + this.name + " failed");
			}
		}

		@Override
		public void aroundPerform(JobContext job, Object[] args, JobExecution next) throws Exception {
			JobInvokerTests.this.events.add("around " + this.name + " enter");
			if (this.proceed) {
				next.proceed();
			}
			JobInvokerTests.this.events.add("around " + this.name + " exit");
		}

		@Override
		public void afterPerform(JobContext job, Object[] args) {
			JobInvokerTests.this.events.add("after " + this.name);
			if (this.failAfter) {
				throw new IllegalStateException("after " + this.name + " failed");
			}
		}

		@Override
		public void onFailure(JobContext job, Object[] args, Throwable error) {
			JobInvokerTests.this.events.add("failure " + this.name + ": " + error.getMessage());
			if (this.failOnFailure) {
				throw new IllegalStateException("on-failure " + this.name + " failed");
			}
		}

	}

	@Order(1)
	record First(List<String> events) implements JobInterceptor {

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			this.events.add("before first");
		}

	}

	@Order(2)
	record Second(List<String> events) implements JobInterceptor {

		@Override
		public void beforePerform(JobContext job, Object[] args) {
			this.events.add("before second");
		}

	}

}
