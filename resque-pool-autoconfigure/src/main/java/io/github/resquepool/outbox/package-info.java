/**
 * The transactional outbox: enqueues made inside a transaction are rows of the
 * application's database ({@code resque_outbox}), delivered to Redis after the commit by
 * the {@code resque-outbox} thread and, after a crash, by any instance of the
 * application.
 */
package io.github.resquepool.outbox;
