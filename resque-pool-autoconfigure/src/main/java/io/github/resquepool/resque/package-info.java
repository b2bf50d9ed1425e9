/**
 * Resque's wire format: the Redis keys of a namespace, the exact JSON of payloads, working
 * statuses and failure entries, Ruby's time formats, queue list expansion, the Lua scripts, and
 * {@link io.github.resquepool.resque.ResqueRedis}, the only class that talks to Redis.
 */
package io.github.resquepool.resque;
