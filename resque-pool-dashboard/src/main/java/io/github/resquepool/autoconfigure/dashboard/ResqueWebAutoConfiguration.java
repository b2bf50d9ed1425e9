package io.github.resquepool.autoconfigure.dashboard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.CacheControl;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.github.resquepool.autoconfigure.ResquePoolAutoConfiguration;
import io.github.resquepool.autoconfigure.ResquePoolProperties;
import io.github.resquepool.autoconfigure.ResqueSchedulerAutoConfiguration;
import io.github.resquepool.client.ResqueFailures;
import io.github.resquepool.dashboard.BulkController;
import io.github.resquepool.dashboard.DashboardData;
import io.github.resquepool.dashboard.DashboardPages;
import io.github.resquepool.dashboard.DelayedController;
import io.github.resquepool.dashboard.FailedController;
import io.github.resquepool.dashboard.FailedEntries;
import io.github.resquepool.dashboard.LimitsController;
import io.github.resquepool.dashboard.OverviewController;
import io.github.resquepool.dashboard.PoolsController;
import io.github.resquepool.dashboard.QueuesController;
import io.github.resquepool.dashboard.ResqueWebAdvice;
import io.github.resquepool.dashboard.ResqueWebFilter;
import io.github.resquepool.dashboard.ResqueWebInterceptor;
import io.github.resquepool.dashboard.ResqueWebRequestMatchers;
import io.github.resquepool.dashboard.ResqueWebSettings;
import io.github.resquepool.dashboard.ScheduleController;
import io.github.resquepool.dashboard.StatsController;
import io.github.resquepool.dashboard.WorkersController;
import io.github.resquepool.fleet.ResqueFleet;
import io.github.resquepool.outbox.ResqueOutbox;
import io.github.resquepool.resque.ResqueRedis;
import io.github.resquepool.scheduler.ResqueScheduler;

/**
 * The Resque dashboard under {@code resque.web.path}, when
 * {@code resque.web.enabled=true} in a servlet web application with Spring MVC.
 */
@AutoConfiguration(after = { ResquePoolAutoConfiguration.class, ResqueSchedulerAutoConfiguration.class },
		afterName = "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty("resque.web.enabled")
@ConditionalOnBean({ ResqueRedis.class, ResqueFleet.class })
@EnableConfigurationProperties(ResqueWebProperties.class)
public final class ResqueWebAutoConfiguration {

	private static final String SECURITY_CHAIN = "org.springframework.security.web.SecurityFilterChain";

	private static final String PATH_MAPPED_ENDPOINTS = "org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints";

	private static final String MANAGEMENT_PORT_TYPE = "org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType";

	@Bean
	@ConditionalOnMissingBean
	DashboardData resqueWebData(ResqueRedis resqueRedis) {
		return new DashboardData(resqueRedis);
	}

	@Bean
	@ConditionalOnMissingBean
	FailedEntries resqueWebFailedEntries(ResqueRedis resqueRedis, ObjectProvider<ResqueFailures> failures) {
		return new FailedEntries(resqueRedis, failures.getIfAvailable(() -> new ResqueFailures(resqueRedis)));
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardPages resqueWebPages(ResqueWebProperties properties, ObjectProvider<ResquePoolProperties> poolProperties,
			Environment environment, ListableBeanFactory beanFactory, ApplicationEventPublisher events) {
		ResquePoolProperties pool = poolProperties.getIfAvailable(ResquePoolProperties::new);
		Duration pruneAfter = (pool.getPruneInterval() != null) ? pool.getPruneInterval() : Duration.ofMinutes(5);
		ResqueWebSettings settings = new ResqueWebSettings(
				environment.getProperty("spring.application.name", "application"), redisDescription(environment, pool),
				properties.isReadOnly(), Math.max(1, properties.getPageSize()),
				Math.max(1, properties.getFailedScanLimit()),
				actuatorLinks(beanFactory, environment, properties.normalizedPath()), pruneAfter,
				pool.getRecoveryTimeout(), Math.max(1, properties.getBulkLimit()));
		return new DashboardPages(settings, events);
	}

	@Bean
	@ConditionalOnMissingBean
	ResqueWebAdvice resqueWebAdvice(DashboardPages pages) {
		return new ResqueWebAdvice(pages);
	}

	@Bean
	@ConditionalOnMissingBean
	OverviewController resqueWebOverviewController(DashboardData data, DashboardPages pages,
			ObjectProvider<ResqueOutbox> outbox) {
		// Read on each page: the outbox's own count, never the database.
		return new OverviewController(data, pages, () -> {
			ResqueOutbox current = outbox.getIfUnique();
			return (current != null) ? current.view() : null;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	QueuesController resqueWebQueuesController(DashboardData data, ResqueFleet fleet, DashboardPages pages) {
		return new QueuesController(data, fleet, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	LimitsController resqueWebLimitsController(ResqueFleet fleet, DashboardPages pages) {
		return new LimitsController(fleet, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	WorkersController resqueWebWorkersController(DashboardData data, ResqueFleet fleet, DashboardPages pages) {
		return new WorkersController(data, fleet, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	PoolsController resqueWebPoolsController(ResqueFleet fleet, DashboardPages pages) {
		return new PoolsController(fleet, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	FailedController resqueWebFailedController(FailedEntries failures, DashboardPages pages) {
		return new FailedController(failures, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	BulkController resqueWebBulkController(FailedEntries failures, DashboardPages pages) {
		return new BulkController(failures, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	DelayedController resqueWebDelayedController(DashboardData data, DashboardPages pages) {
		return new DelayedController(data, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	ScheduleController resqueWebScheduleController(DashboardData data, ObjectProvider<ResqueScheduler> scheduler,
			DashboardPages pages) {
		return new ScheduleController(data, scheduler::getIfAvailable, pages);
	}

	@Bean
	@ConditionalOnMissingBean
	StatsController resqueWebStatsController(DashboardData data, DashboardPages pages) {
		return new StatsController(data, pages);
	}

	@Bean
	FilterRegistrationBean<ResqueWebFilter> resqueWebFilter(ResqueWebProperties properties,
			ListableBeanFactory beanFactory) {
		// The application's security applies when Spring Security's filter chain is set
		// up.
		boolean security = ClassUtils.isPresent(SECURITY_CHAIN, ResqueWebAutoConfiguration.class.getClassLoader())
				&& beanFactory.containsBean("springSecurityFilterChain");
		ResqueWebFilter filter = new ResqueWebFilter(properties.normalizedPath(), properties.isReadOnly(),
				security ? ResqueWebFilter.Authentication.SPRING_SECURITY : ResqueWebFilter.Authentication.BASIC,
				properties.getUsername(), properties.getPassword(), properties.getRole());
		FilterRegistrationBean<ResqueWebFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns(properties.normalizedPath(), properties.normalizedPath() + "/*");
		// After Spring Security's chain (-100), so that its principal is known.
		registration.setOrder(0);
		registration.setName("resqueWebFilter");
		return registration;
	}

	@Bean
	WebMvcConfigurer resqueWebMvcConfigurer(FilterRegistrationBean<ResqueWebFilter> resqueWebFilter,
			ResqueWebProperties properties) {
		// The filter's checks again where MVC routes, whatever the spelling of the path.
		ResqueWebInterceptor interceptor = new ResqueWebInterceptor(resqueWebFilter.getFilter());
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor);
			}

			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				registry.addResourceHandler(properties.normalizedPath() + "/assets/*")
					.addResourceLocations(ResqueWebInterceptor.ASSETS)
					.setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
			}

		};
	}

	private static String redisDescription(Environment environment, ResquePoolProperties pool) {
		String url = environment.getProperty("resque.redis.url", environment.getProperty("spring.data.redis.url"));
		String where;
		if (url != null && !url.isBlank()) {
			where = url.replaceFirst("//[^@/]*@", "//");
		}
		else {
			where = "redis://" + environment.getProperty("spring.data.redis.host", "localhost") + ":"
					+ environment.getProperty("spring.data.redis.port", "6379");
		}
		return where + " (" + pool.getNamespace() + ")";
	}

	/**
	 * The links to the Actuator endpoints the application exposes over HTTP on its own
	 * port, as Actuator maps them (base path, path mappings, exposure, access), relative
	 * to the dashboard's pages so that they follow a context path and a proxy's prefix.
	 */
	private static Map<String, String> actuatorLinks(ListableBeanFactory beanFactory, Environment environment,
			String path) {
		ClassLoader classLoader = ResqueWebAutoConfiguration.class.getClassLoader();
		if (!ClassUtils.isPresent(PATH_MAPPED_ENDPOINTS, classLoader)
				|| !ClassUtils.isPresent(MANAGEMENT_PORT_TYPE, classLoader)) {
			return Map.of();
		}
		return ActuatorLinks.of(beanFactory, environment,
				"../".repeat((int) path.chars().filter((c) -> c == '/').count()));
	}

	/** Apart, so that Actuator's classes load only when they are there. */
	static final class ActuatorLinks {

		private ActuatorLinks() {
		}

		static Map<String, String> of(ListableBeanFactory beanFactory, Environment environment, String up) {
			Map<String, String> links = new LinkedHashMap<>();
			// On a management port of its own a relative link cannot reach the endpoints.
			if (ManagementPortType.get(environment) != ManagementPortType.SAME) {
				return links;
			}
			PathMappedEndpoints endpoints = beanFactory.getBeanProvider(PathMappedEndpoints.class).getIfUnique();
			if (endpoints == null) {
				return links;
			}
			put(links, "Health", endpoints, "health", up);
			put(links, "Pool endpoint", endpoints, "resquepool", up);
			put(links, "Fleet endpoint", endpoints, "resquefleet", up);
			return links;
		}

		private static void put(Map<String, String> links, String label, PathMappedEndpoints endpoints, String id,
				String up) {
			// Null when the endpoint is not exposed over HTTP or not there at all.
			String path = endpoints.getPath(EndpointId.of(id));
			if (path != null) {
				links.put(label, up + (path.startsWith("/") ? path.substring(1) : path));
			}
		}

	}

	/** The request matchers, for the application's security rules. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SECURITY_CHAIN)
	static class SecurityMatchersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResqueWebRequestMatchers resqueWebRequestMatchers(ResqueWebProperties properties) {
			return new ResqueWebRequestMatchers(properties.normalizedPath());
		}

	}

}
