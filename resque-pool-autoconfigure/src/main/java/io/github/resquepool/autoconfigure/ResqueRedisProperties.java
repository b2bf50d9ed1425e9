package io.github.resquepool.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of a Redis of Resque's own ({@code resque.redis.*}), apart from the
 * application's {@code spring.data.redis.*}: for example a Heroku application with a
 * cache Redis and a Resque Redis. Without {@code url}, Resque uses the application's
 * connection factory (or the one qualified with {@link ResqueRedisConnectionFactory}).
 */
@ConfigurationProperties(prefix = "resque.redis", ignoreUnknownFields = false)
public class ResqueRedisProperties {

	/**
	 * Redis URL of Resque's own Redis, such as redis://user:password@host:6379/0 or
	 * rediss:// for TLS; Sentinel as redis-sentinel://host1:26379,host2:26379/0#mymaster.
	 */
	private String url;

	/**
	 * Command timeout on Resque's own Redis. When unset, resque.pool.command-timeout
	 * applies.
	 */
	private Duration timeout;

	/** Connect timeout on Resque's own Redis. */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/** Client name set with CLIENT SETNAME on Resque's own Redis. */
	private String clientName;

	private final Ssl ssl = new Ssl();

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		this.url = url;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public String getClientName() {
		return this.clientName;
	}

	public void setClientName(String clientName) {
		this.clientName = clientName;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/** TLS to Resque's own Redis. */
	public static class Ssl {

		/**
		 * Whether to use TLS. Enabled by a rediss:// URL or a bundle too.
		 */
		private boolean enabled;

		/**
		 * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) with the trust and key
		 * material.
		 */
		private String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

}
