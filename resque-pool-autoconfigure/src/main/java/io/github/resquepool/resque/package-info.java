/**
 * Resque's wire format and the only code that talks to Redis: the key names of a
 * namespace, the exact JSON of payloads, working statuses and failure entries, Ruby's
 * time formats, queue list expansion, the Lua scripts, the
 * {@link io.github.resquepool.resque.ResqueConnection} with its error classification, and
 * one store per kind of record, reached through
 * {@link io.github.resquepool.resque.ResqueRedis}.
 */
package io.github.resquepool.resque;
