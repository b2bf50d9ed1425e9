package io.github.resquepool.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResqueJobMethodProcessor}.
 */
class ResqueJobMethodProcessorTests {

	private static final JsonMapper mapper = JsonMapper.shared();

	private final JobRegistry registry = new JobRegistry();

	private final ResqueJobMethodProcessor processor = new ResqueJobMethodProcessor(this.registry, () -> mapper);

	@Test
	void registersPackagePrivateMethodsOfPackagePrivateClasses() throws Throwable {
		Mailer mailer = new Mailer();
		assertThat(this.processor.postProcessAfterInitialization(mailer, "mailer")).isSameAs(mailer);
		assertThat(this.registry.names()).containsExactlyInAnyOrder("Mailers::Welcome", "Reports::Build");
		JobHandler welcome = this.registry.find("Mailers::Welcome").orElseThrow();
		assertThat(welcome.source()).isEqualTo(Mailer.class.getName() + "#welcome(long, String)");
		assertThat(welcome.bean()).isSameAs(mailer);
		assertThat(welcome.argumentCount()).isEqualTo(2);
		assertThat(welcome.timeout()).isNull();
		welcome.invoke(welcome.bindArguments(args("[42, \"en\"]"), context("Mailers::Welcome")));
		assertThat(mailer.calls).containsExactly("welcome 42 en");
	}

	@Test
	void parsesTimeoutsInBootsStyles() {
		this.processor.postProcessAfterInitialization(new Mailer(), "mailer");
		this.processor.postProcessAfterInitialization(new Timeouts(), "timeouts");
		assertThat(this.registry.find("Reports::Build"))
			.hasValueSatisfying((handler) -> assertThat(handler.timeout()).isEqualTo(Duration.ofMinutes(2)));
		assertThat(this.registry.find("Iso"))
			.hasValueSatisfying((handler) -> assertThat(handler.timeout()).isEqualTo(Duration.ofSeconds(30)));
		assertThat(this.registry.find("Millis"))
			.hasValueSatisfying((handler) -> assertThat(handler.timeout()).isEqualTo(Duration.ofMillis(500)));
	}

	@Test
	void bindsHandlersToCglibProxiesAndNamesTheUserClass() throws Throwable {
		Mailer target = new Mailer();
		List<String> advised = new ArrayList<>();
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			advised.add(invocation.getMethod().getName());
			return invocation.proceed();
		});
		Object proxy = factory.getProxy();
		assertThat(AopUtils.isCglibProxy(proxy)).isTrue();
		this.processor.postProcessAfterInitialization(proxy, "mailer");
		JobHandler build = this.registry.find("Reports::Build").orElseThrow();
		assertThat(build.source()).isEqualTo(Mailer.class.getName() + "#build(JobContext, String)");
		assertThat(build.bean()).isSameAs(proxy);
		build.invoke(build.bindArguments(args("[\"sales\"]"), context("Reports::Build")));
		assertThat(advised).containsExactly("build");
		assertThat(target.calls).containsExactly("build Reports::Build sales");
	}

	@Test
	void registersMethodsOfCglibEnhancedConfigurationClasses() {
		new ApplicationContextRunner().withUserConfiguration(JobProcessingConfiguration.class, JobsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JobHandler handler = context.getBean(JobRegistry.class).find("Config::Job").orElseThrow();
				assertThat(AopUtils.isCglibProxy(handler.bean())).isFalse();
				assertThat(handler.bean().getClass().getName()).contains("$$SpringCGLIB$$");
				assertThat(handler.source()).isEqualTo(JobsConfiguration.class.getName() + "#run(String)");
				assertThat(handler.invoke(handler.bindArguments(args("[\"x\"]"), context("Config::Job"))))
					.isEqualTo("ran x");
			});
	}

	@Test
	void registersStaticMethods() throws Throwable {
		this.processor.postProcessAfterInitialization(new StaticJobs(), "staticJobs");
		JobHandler handler = this.registry.find("Cleanup").orElseThrow();
		assertThat(handler.invoke(handler.bindArguments(args("[3]"), context("Cleanup")))).isEqualTo("cleaned 3");
	}

	@Test
	void asksForTheMapperOnlyWhenArgumentsAreFirstBound() throws Throwable {
		AtomicInteger requests = new AtomicInteger();
		ResqueJobMethodProcessor processor = new ResqueJobMethodProcessor(this.registry, () -> {
			requests.incrementAndGet();
			return mapper;
		});
		processor.postProcessAfterInitialization(new Mailer(), "mailer");
		assertThat(requests).hasValue(0);
		JobHandler welcome = this.registry.find("Mailers::Welcome").orElseThrow();
		welcome.bindArguments(args("[1, \"en\"]"), context("Mailers::Welcome"));
		welcome.bindArguments(args("[2, \"en\"]"), context("Mailers::Welcome"));
		assertThat(requests).hasValue(1);
	}

	@Test
	void leavesBeansWithoutJobsAlone() {
		Object bean = new Object();
		assertThat(this.processor.postProcessAfterInitialization(bean, "plain")).isSameAs(bean);
		assertThat(this.registry.names()).isEmpty();
	}

	@Test
	void privateMethodsAreRejected() {
		assertInvalid(new PrivateJob(), PrivateJob.class.getName() + "#run()",
				"it is private, so it cannot be invoked (also not through a proxy)");
	}

	@Test
	void twoContextParametersAreRejected() {
		assertInvalid(new TwoContexts(), TwoContexts.class.getName() + "#run(JobContext, long, JobContext)",
				"it declares more than one JobContext parameter");
	}

	@Test
	void blankNamesAreRejected() {
		assertInvalid(new BlankName(), BlankName.class.getName() + "#run()", "its Resque class name is blank");
	}

	@Test
	void unparseableTimeoutsAreRejected() {
		assertInvalid(new BadTimeout(), BadTimeout.class.getName() + "#run()",
				"its timeout \"soon\" is not a duration such as \"30s\", \"2m\", \"500ms\" or \"PT30S\"");
	}

	@Test
	void negativeTimeoutsAreRejected() {
		assertInvalid(new NegativeTimeout(), NegativeTimeout.class.getName() + "#run()",
				"its timeout PT-1S is negative");
	}

	@Test
	void finalMethodsOfCglibProxiesAreRejected() {
		ProxyFactory factory = new ProxyFactory(new FinalJob());
		factory.setProxyTargetClass(true);
		assertInvalid(factory.getProxy(), FinalJob.class.getName() + "#run()",
				"it is final, so the bean's proxy cannot pass calls on to the bean");
	}

	@Test
	void finalMethodsOfPlainBeansAreAccepted() {
		this.processor.postProcessAfterInitialization(new FinalJob(), "finalJob");
		assertThat(this.registry.names()).containsExactly("Final");
	}

	@Test
	void methodsMissingFromAJdkProxysInterfacesAreRejected() {
		ProxyFactory factory = new ProxyFactory(new InterfaceJob());
		assertThatExceptionOfType(InvalidResqueJobException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(factory.getProxy(), "interfaceJob"))
			.satisfies((ex) -> assertThat(ex.getSource()).isEqualTo(InterfaceJob.class.getName() + "#run()"));
	}

	@Test
	void limitsAreReadInTheirOrderAndTheirKeysEvaluatedOverTheBoundArguments() throws Exception {
		this.processor.postProcessAfterInitialization(new Limited(), "limited");
		JobHandler handler = this.registry.find("Limited").orElseThrow();
		assertThat(handler.limits()).extracting(JobLimit::concurrency).containsExactly(5, 1, -1);
		assertThat(handler.limits().get(2).rate()).isEqualTo(100);
		assertThat(handler.limits().get(2).per()).isEqualTo(Duration.ofMinutes(1));
		Object[] bound = handler.bindArguments(args("[\"acct-7\",250]"), context("Limited"));
		assertThat(handler.limits().get(0).keyOf(handler.method(), bound)).isNull();
		assertThat(handler.limits().get(1).keyOf(handler.method(), bound)).isEqualTo("acct-7");
		assertThat(handler.limits().get(2).keyOf(handler.method(), bound)).isEqualTo("acct-7:250");
	}

	@Test
	void aLimitWithoutResqueJobIsRejected() {
		assertInvalid(new LimitWithoutJob(), LimitWithoutJob.class.getName() + "#run()",
				"it has @ResqueLimit but no @ResqueJob: a limit applies to a job handler");
	}

	@Test
	void aLimitKeyThatIsNotSpelIsRejected() {
		assertThatExceptionOfType(InvalidResqueJobException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new BadLimitKey(), "bean"))
			.satisfies((ex) -> {
				assertThat(ex.getSource()).isEqualTo(BadLimitKey.class.getName() + "#run(String)");
				assertThat(ex.getReason()).startsWith(
						"its @ResqueLimit number 1 is invalid: its key \"#p0 +\" is not a valid SpEL expression");
			});
		assertThat(this.registry.names()).isEmpty();
	}

	@Test
	void aLimitThatLimitsNothingIsRejected() {
		assertInvalid(new EmptyLimit(), EmptyLimit.class.getName() + "#run()",
				"its @ResqueLimit number 1 is invalid: it sets neither a concurrency nor a rate");
	}

	private void assertInvalid(Object bean, String source, String reason) {
		assertThatExceptionOfType(InvalidResqueJobException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(bean, "bean"))
			.withMessage("Invalid @ResqueJob method " + source + ": " + reason)
			.satisfies((ex) -> {
				assertThat(ex.getSource()).isEqualTo(source);
				assertThat(ex.getReason()).isEqualTo(reason);
			});
		assertThat(this.registry.names()).isEmpty();
	}

	private static ArrayNode args(String json) {
		return (ArrayNode) mapper.readTree(json);
	}

	private static JobContext context(String className) {
		return new JobContext(className, "default", "host:1:default", "{}");
	}

	static class Limited {

		@ResqueJob("Limited")
		@ResqueLimit(concurrency = 5)
		@ResqueLimit(concurrency = 1, key = "#p0")
		@ResqueLimit(rate = 100, per = "1m", key = "#root.args[0] + ':' + #a1")
		void charge(String account, long cents) {
		}

	}

	static class LimitWithoutJob {

		@ResqueLimit(concurrency = 1)
		void run() {
		}

	}

	static class BadLimitKey {

		@ResqueJob("BadLimitKey")
		@ResqueLimit(concurrency = 1, key = "#p0 +")
		void run(String id) {
		}

	}

	static class EmptyLimit {

		@ResqueJob("EmptyLimit")
		@ResqueLimit
		void run() {
		}

	}

	static class Mailer {

		final List<String> calls = new ArrayList<>();

		@ResqueJob("Mailers::Welcome")
		void welcome(long userId, String locale) {
			this.calls.add("welcome " + userId + " " + locale);
		}

		@ResqueJob(value = "Reports::Build", timeout = "2m")
		void build(JobContext context, String name) {
			this.calls.add("build " + context.className() + " " + name);
		}

	}

	static class Timeouts {

		@ResqueJob(value = "Iso", timeout = "PT30S")
		void iso() {
		}

		@ResqueJob(value = "Millis", timeout = "500ms")
		void millis() {
		}

	}

	static class StaticJobs {

		@ResqueJob("Cleanup")
		static String cleanup(int count) {
			return "cleaned " + count;
		}

	}

	static class PrivateJob {

		@ResqueJob("Private")
		private void run() {
		}

	}

	static class TwoContexts {

		@ResqueJob("Two")
		void run(JobContext first, long id, JobContext second) {
		}

	}

	static class BlankName {

		@ResqueJob(" ")
		void run() {
		}

	}

	static class BadTimeout {

		@ResqueJob(value = "Bad", timeout = "soon")
		void run() {
		}

	}

	static class NegativeTimeout {

		@ResqueJob(value = "Negative", timeout = "-1s")
		void run() {
		}

	}

	static class FinalJob {

		@ResqueJob("Final")
		final void run() {
		}

	}

	interface Greeter {

		void greet();

	}

	static class InterfaceJob implements Greeter {

		@Override
		public void greet() {
		}

		@ResqueJob("NotOnInterface")
		public void run() {
		}

	}

	@Configuration
	static class JobsConfiguration {

		@Bean
		String greeting() {
			return "hello";
		}

		@ResqueJob("Config::Job")
		String run(String value) {
			return "ran " + value;
		}

	}

}
