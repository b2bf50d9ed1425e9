package io.github.resquepool.sample.redis;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

import io.github.resquepool.embedded.EmbeddedRedisServer;

/**
 * Ties an embedded Redis to the application context: registers it as a bean that is
 * destroyed last, after the pool has drained and the Redis clients are closed (a listener
 * of {@code ContextClosedEvent} would run before the pool stops, and pull Redis from
 * under it), and stops it when the application fails to start. The JVM shutdown hook of
 * {@link EmbeddedRedisServer} remains the last resort.
 */
class EmbeddedRedisLifecycle implements ApplicationListener<ApplicationEvent> {

	private final EmbeddedRedisServer server;

	private final String beanName;

	EmbeddedRedisLifecycle(EmbeddedRedisServer server, String beanName) {
		this.server = server;
		this.beanName = beanName;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationPreparedEvent prepared) {
			ConfigurableListableBeanFactory beanFactory = prepared.getApplicationContext().getBeanFactory();
			if (!beanFactory.containsSingleton(this.beanName)) {
				beanFactory.registerSingleton(this.beanName, this.server);
				if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
					// Registered before any other bean, so destroyed after all of them.
					registry.registerDisposableBean(this.beanName, this.server::stop);
				}
			}
		}
		else if (event instanceof ApplicationFailedEvent) {
			this.server.stop();
		}
	}

	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

}
