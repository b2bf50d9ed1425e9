/**
 * Unique jobs on the worker's side: the lock of a
 * {@link io.github.resquepool.job.ResqueUnique @ResqueUnique} job released when it
 * starts, or claimed while it runs and released when it is done.
 */
package io.github.resquepool.unique;
