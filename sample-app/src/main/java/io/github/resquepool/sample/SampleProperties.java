package io.github.resquepool.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample itself, {@code resque.sample.*}.
 *
 * @param demoOnStart whether a few demo jobs are enqueued once the application is ready
 * @param reportDelay how long {@code Reports::Build} works; unset for a random 2 to 5
 * seconds
 */
@ConfigurationProperties("resque.sample")
public record SampleProperties(@DefaultValue("true") boolean demoOnStart, Duration reportDelay) {

}
