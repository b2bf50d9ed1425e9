/**
 * Where resque-pool's threads come from:
 * {@link io.github.resquepool.thread.ResqueThreads}, one replaceable bean below every
 * package that starts a thread.
 */
package io.github.resquepool.thread;
