/**
 * One Resque worker: the loop that records its last job's outcome and takes the next job
 * in one atomic step, runs it, and turns failures into Resque failure entries.
 */
package io.github.resquepool.worker;
