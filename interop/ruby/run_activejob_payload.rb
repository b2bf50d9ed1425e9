# frozen_string_literal: true
#
# Reverse check for ActiveJob wrapper payloads: a real Resque worker with Rails
# ActiveJob 6.1 (Debian) loaded performs the job at the head of QUEUE.
# The job classes of aj_jobs.rb are defined (SendInvoiceJob, KeywordsJob,
# FailingJob, RetryingJob; queues "invoices" and "failing_aj", GlobalID app
# "interop" with model Customer); each successful job appends what it received
# to the plain Redis list "interop:performed". JOBS_FILE=path.rb adds your own.
#
#   REDIS_URL=... RESQUE_LIB=... [RESQUE_SCHEDULER_LIB=...] \
#     ruby interop/ruby/run_activejob_payload.rb invoices [--push wrapper.json] [--all]

require_relative "common"
Interop.need_resque!(position: :back) # keep Rails 6.1's own resque_adapter.rb in front
Interop.need_scheduler!(position: :back) if ENV["RESQUE_SCHEDULER_LIB"] # retry_on with wait needs it
require "resque"
require "resque-scheduler" if ENV["RESQUE_SCHEDULER_LIB"]
require_relative "aj_jobs"
ActiveJob::Base.queue_adapter = :resque
load ENV["JOBS_FILE"] if ENV["JOBS_FILE"]
require_relative "one_job"

Interop::OneJob.run(ARGV, script: $PROGRAM_NAME)
