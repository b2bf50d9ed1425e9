package io.github.resquepool.autoconfigure.endpoint;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.resquepool.actuate.endpoint.ResquePoolEndpoint;
import io.github.resquepool.actuate.endpoint.ResquePoolEndpointWebExtension;
import io.github.resquepool.actuate.endpoint.ResquePoolOperationInvokerAdvisor;
import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.embedded.TestRedis;
import io.github.resquepool.pool.PoolStatus.State;
import io.github.resquepool.pool.ResquePool;

import static org.assertj.core.api.Assertions.assertThat;

class ResquePoolEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				ResquePoolAutoConfiguration.class, EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				ResquePoolEndpointAutoConfiguration.class))
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withPropertyValues(TestRedis.shared().springPropertyValues())
		.withPropertyValues("resque.pool.namespace=endpoint-autoconfig", "resque.pool.poll-interval=100ms",
				"resque.pool.shutdown-timeout=2s", "resque.pool.groups.work.queues=endpoint-autoconfig",
				"resque.pool.groups.work.count=1");

	@Test
	void runWhenNotExposedShouldNotCreateTheEndpoint() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ResquePool.class)
			.doesNotHaveBean(ResquePoolEndpoint.class)
			.doesNotHaveBean(ResquePoolEndpointWebExtension.class));
	}

	@Test
	void runWhenExposedOverWebShouldCreateTheEndpointAndItsWebExtension() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=resquepool")
			.run((context) -> assertThat(context).hasSingleBean(ResquePoolEndpoint.class)
				.hasSingleBean(ResquePoolEndpointWebExtension.class)
				.hasSingleBean(ResquePoolOperationInvokerAdvisor.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotCreateTheEndpoint() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=resquepool",
					"management.endpoint.resquepool.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(ResquePoolEndpoint.class));
	}

	@Test
	void runWhenExposedOverJmxOnlyShouldNotCreateTheWebExtension() {
		this.runner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=resquepool")
			.run((context) -> assertThat(context).hasSingleBean(ResquePoolEndpoint.class)
				.doesNotHaveBean(ResquePoolEndpointWebExtension.class));
	}

	@Test
	void runWhenThePoolIsDisabledShouldNotCreateTheEndpoint() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=resquepool", "resque.pool.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResquePoolEndpoint.class));
	}

	@Test
	void runWithoutActuatorShouldNotCreateTheEndpoint() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResquePoolAutoConfiguration.class, ResquePoolEndpointAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues(TestRedis.shared().springPropertyValues())
			.withPropertyValues("resque.pool.namespace=endpoint-autoconfig", "resque.pool.groups.work.count=0",
					"management.endpoints.web.exposure.include=resquepool")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResquePool.class)
				.doesNotHaveBean(ResquePoolEndpoint.class));
	}

	@Test
	void runWithAUserEndpointShouldBackOff() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=resquepool")
			.withBean("myEndpoint", ResquePoolEndpoint.class, (Object) null, true)
			.run((context) -> assertThat(context).hasSingleBean(ResquePoolEndpoint.class).hasBean("myEndpoint"));
	}

	@Test
	void runWithJmxShouldExposeReadAndWriteOperationsAsAnMBean() {
		this.runner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=resquepool",
					"management.endpoints.jmx.domain=resquepool.tests",
					"management.endpoint.resquepool.access=unrestricted")
			.run((context) -> {
				MBeanServer server = ManagementFactory.getPlatformMBeanServer();
				Set<ObjectName> names = server.queryNames(new ObjectName("resquepool.tests:type=Endpoint,*"), null);
				assertThat(names).hasSize(1);
				ObjectName name = names.iterator().next();
				Map<?, ?> pool = (Map<?, ?>) server.invoke(name, "pool", new Object[0], new String[0]);
				assertThat(pool.get("state")).isEqualTo("RUNNING");
				MBeanOperationInfo perform = Arrays.stream(server.getMBeanInfo(name).getOperations())
					.filter((operation) -> operation.getName().equals("perform"))
					.findFirst()
					.orElseThrow();
				String[] signature = Arrays.stream(perform.getSignature())
					.map(MBeanParameterInfo::getType)
					.toArray(String[]::new);
				Map<?, ?> result = (Map<?, ?>) server.invoke(name, "perform", new Object[] { "pause", "work", null },
						signature);
				assertThat(result.get("applied")).isEqualTo(true);
				assertThat(context.getBean(ResquePool.class).status().groups().get(0).requested())
					.isEqualTo(State.PAUSED);
			});
	}

}
