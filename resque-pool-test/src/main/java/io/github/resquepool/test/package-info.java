/**
 * Test support for applications with Resque jobs:
 * {@link io.github.resquepool.test.ResqueJobTester} runs a job synchronously through the
 * real binding and interceptors, {@link io.github.resquepool.test.RecordingResqueClient}
 * records (fake) or performs (inline) enqueues, and
 * {@link io.github.resquepool.test.EmbeddedResqueRedis} gives a test class a real Redis
 * without Docker.
 */
package io.github.resquepool.test;
