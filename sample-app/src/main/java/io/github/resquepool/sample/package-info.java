/**
 * The sample application: a Spring Boot application that runs a pool of Resque workers
 * with the starter, with its own settings ({@code resque.sample.*}).
 */
package io.github.resquepool.sample;
