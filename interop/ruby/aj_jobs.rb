# frozen_string_literal: true
#
# ActiveJob 6.1 job classes and a tiny GlobalID model, shared by
# capture_activejob.rb and run_activejob_payload.rb. Every job records what it
# received (class, inspect of the deserialized arguments) in the plain Redis
# list "interop:performed" (outside the resque namespace).

require "active_job"
require "globalid"
require "redis"

GlobalID.app = "interop"
ActiveJob::Base.logger = Logger.new(nil) unless ENV["AJ_LOG"]

class Customer
  include GlobalID::Identification
  attr_reader :id

  def initialize(id)
    @id = id
  end

  def self.find(id)
    new(Integer(id))
  end

  def inspect
    "#<Customer id=#{id}>"
  end
end

class InteropJob < ActiveJob::Base
  def self.record(job, received)
    Redis.new(url: ENV.fetch("REDIS_URL", "redis://127.0.0.1:6390/0"))
         .rpush("interop:performed", JSON.generate("job" => job.class.name, "job_id" => job.job_id,
                                                   "executions" => job.executions, "received" => received))
  end
end

class SendInvoiceJob < InteropJob
  queue_as :invoices

  def perform(*args)
    InteropJob.record(self, args.inspect)
  end
end

class KeywordsJob < InteropJob
  queue_as :invoices

  def perform(id, currency:, note: nil)
    InteropJob.record(self, { id: id, currency: currency, note: note }.inspect)
  end
end

class FailingJob < InteropJob
  queue_as :failing_aj

  def perform(*args)
    raise ArgumentError, "boom from ActiveJob: #{args.inspect}"
  end
end

# retry_on: the first failure re-enqueues through the adapter (immediately,
# wait: 0), the second one reaches Resque's failure backend.
class RetryingJob < InteropJob
  queue_as :failing_aj
  retry_on ArgumentError, wait: 0, attempts: 2

  def perform(*args)
    raise ArgumentError, "boom, execution #{executions}"
  end
end
