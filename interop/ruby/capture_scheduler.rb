# frozen_string_literal: true
#
# resque-scheduler: delayed items (enqueue_at / enqueue_in / enqueue_at_with_queue),
# their index keys, remove_delayed / delayed?, set_schedule with and without
# persist, and one run of the real scheduler process (CLI) under MONITOR.
#
#   RESQUE_LIB=... RESQUE_SCHEDULER_LIB=... REDIS_URL=... ruby interop/ruby/capture_scheduler.rb

require_relative "common"
require_relative "arg_cases"
Interop.need_resque!
sched_lib = Interop.need_scheduler!
require "resque"
require "resque-scheduler"
require_relative "scheduler_init" # same Interop::Sched class as the scheduler process

OUT = Interop.out_dir(File.expand_path("../captured/scheduler", __dir__))
Interop.connect_resque!
Interop.flush!
facts = {}
raw = Interop.raw

# A fixed, whole-second due time far enough in the future not to be moved.
T = Time.at(((Time.now.to_i / 3600) + 24) * 3600)
facts["enqueue_at_time"] = T.to_i

# 1. enqueue_at, one item per argument case.
Interop::ARG_CASES.each do |name, args|
  Interop.flush!
  Resque.enqueue_at(T, Interop::Sched, *args)
  Interop.write_raw("#{OUT}/enqueue_at/#{name}.item.json", raw.lindex("resque:delayed:#{T.to_i}", 0))
  Interop.write_snapshot("#{OUT}/enqueue_at/#{name}.keys.json")
end

# 2. The other producer calls, same args as ActiveJob's example.
args = Interop::ARG_CASES.fetch("mixed_invoice")
Interop.flush!
before = Time.now.to_f
Resque.enqueue_in(600, Interop::Sched, *args)
facts["enqueue_in_600_called_at"] = before
Interop.write_snapshot("#{OUT}/enqueue_in/enqueue_in_600.keys.json")

Interop.flush!
Resque.enqueue_at_with_queue("other_queue", T, Interop::Sched, *args)
Interop.write_raw("#{OUT}/enqueue_at_with_queue/item.json", raw.lindex("resque:delayed:#{T.to_i}", 0))
Interop.write_snapshot("#{OUT}/enqueue_at_with_queue/enqueue_at_with_queue.keys.json")

Interop.flush!
Resque.enqueue_at_with_queue("other_queue", T, "Java::Side::Job", 1) # string class name
Interop.write_snapshot("#{OUT}/enqueue_at_with_queue/string_class.keys.json")

Interop.flush!
Resque.enqueue_at(T + 0.999, Interop::Sched, "fractional") # bucket = floor
Resque.enqueue_at((T + 1).to_f + 0.5, Interop::Sched, "float timestamp") # Float accepted too?
Interop.write_snapshot("#{OUT}/enqueue_at/fractional_time.keys.json")

Interop.flush!
Resque.enqueue_at(Time.now - 10, Interop::Sched, "past") # due already: straight to the queue
Interop.write_snapshot("#{OUT}/enqueue_at/past_time.keys.json")

# 3. delayed?, scheduled_at, remove_delayed.
Interop.flush!
Resque.enqueue_at(T, Interop::Sched, 1, "x")
Resque.enqueue_at(T + 60, Interop::Sched, 1, "x")
Resque.enqueue_at(T, Interop::Sched, 2, "y")
Resque.enqueue_at_with_queue("other_queue", T, Interop::Sched, 1, "x")
# Items another producer wrote: same meaning, other bytes / missing index.
java_item = '{"class":"Interop::Sched","args":[1.0E7],"queue":"sched"}'
raw.rpush("resque:delayed:#{T.to_i}", java_item)
raw.call("SADD", "resque:timestamps:#{java_item}", "delayed:#{T.to_i}")
no_index_item = '{"class":"Interop::Sched","args":[3,"z"],"queue":"sched"}'
raw.rpush("resque:delayed:#{T.to_i}", no_index_item) # no timestamps: SADD
Interop.write_snapshot("#{OUT}/remove_delayed/before.keys.json")
r = {}
r["delayed?(Sched, 1, 'x')"] = Resque.delayed?(Interop::Sched, 1, "x")
r["scheduled_at(Sched, 1, 'x')"] = Resque.scheduled_at(Interop::Sched, 1, "x")
r["delayed?(Sched, 10000000.0) vs item written as 1.0E7"] = Resque.delayed?(Interop::Sched, 10_000_000.0)
r["delayed?(Sched, 3, 'z') item without timestamps index"] = Resque.delayed?(Interop::Sched, 3, "z")
r["remove_delayed(Sched, 3, 'z')"] = Resque.remove_delayed(Interop::Sched, 3, "z")
r["remove_delayed(Sched, 10000000.0)"] = Resque.remove_delayed(Interop::Sched, 10_000_000.0)
r["find_delayed_selection(Sched){args[0]==3}"] = Resque.find_delayed_selection(Interop::Sched) { |a| a[0] == 3 }
r["remove_delayed(Sched, 1, 'x')"] = Resque.remove_delayed(Interop::Sched, 1, "x")
r["delayed?(Sched, 1, 'x') after remove"] = Resque.delayed?(Interop::Sched, 1, "x")
r["remove_delayed_in_queue(Sched, 'other_queue', 1, 'x')"] = Resque.remove_delayed_in_queue(Interop::Sched, "other_queue", 1, "x")
r["remove_delayed_job_from_timestamp(T, Sched, 2, 'y')"] = Resque.remove_delayed_job_from_timestamp(T, Interop::Sched, 2, "y")
r["remove_delayed_selection(Sched){args[0]==3}"] = Resque.remove_delayed_selection(Interop::Sched) { |a| a[0] == 3 }
r["delayed_queue_schedule_size after"] = Resque.delayed_queue_schedule_size
Interop.write_json("#{OUT}/remove_delayed/results.json", r)
Interop.write_snapshot("#{OUT}/remove_delayed/after.keys.json")

# 4. set_schedule with and without persist.
Interop.flush!
Interop.with_monitor("#{OUT}/schedules/MONITOR-set_schedule.txt") do
  Resque.set_schedule("persisted_cron", { "cron" => "*/5 * * * *", "class" => "Interop::Sched",
                                          "queue" => "sched", "args" => [42, "EUR", { "a" => 1 }],
                                          "description" => "persisted", "persist" => true })
  Resque.set_schedule("persisted_every_sym", { every: ["30s", { first_in: "5s" }], class: "Interop::Sched",
                                               args: { "k" => "v" }, persist: true })
  Resque.set_schedule("in_memory_only", { "every" => "1h", "class" => "Interop::Sched", "args" => [1] })
end
facts["Resque.schedule after set_schedule"] = Resque.schedule
Interop.write_snapshot("#{OUT}/schedules/after_set_schedule.keys.json")
Resque.remove_schedule("persisted_every_sym")
Interop.write_snapshot("#{OUT}/schedules/after_remove_schedule.keys.json")

# 5. The real scheduler process, once, under MONITOR.
Interop.flush!
due = Time.now.to_i + 3
Resque.enqueue_at(Time.at(due), Interop::Sched, "due-1", 42, { "k" => "v" })
Resque.enqueue_at_with_queue("java_queue", Time.at(due), "Java::Side::Job", "due-2") # class unknown to Ruby
Resque.enqueue_at(Time.at(due + 3600), Interop::Sched, "not-due")
Resque.set_schedule("every_second", { "every" => "1s", "class" => "Interop::Recurring",
                                      "queue" => "recurring", "args" => ["tick"], "persist" => true })
Interop.write_snapshot("#{OUT}/run/before.keys.json")
Interop.write_raw("#{OUT}/run/due_bucket_ts", due.to_s)

lock_key = "resque:resque:resque_scheduler_master_lock"
observed = []
log = "#{OUT}/run/scheduler.log"
status = nil
Interop.with_monitor("#{OUT}/run/MONITOR-scheduler-run.txt") do
  env = { "REDIS_URL" => Interop.redis_url, "DYNAMIC_SCHEDULE" => "true",
          "RESQUE_SCHEDULER_INTERVAL" => "1", "VERBOSE" => "true" }
  pid = Process.spawn(env, RbConfig.ruby, "-I", ENV["RESQUE_LIB"], "-I", sched_lib,
                      File.join(sched_lib, "..", "exe", "resque-scheduler"),
                      "-I", File.expand_path("scheduler_init.rb", __dir__),
                      out: log, err: [:child, :out])
  facts["scheduler_pid"] = pid
  deadline = Time.now + 25
  until Time.now > deadline
    observed << { "t" => Time.now.to_f.round(3), "lock" => raw.get(lock_key), "ttl" => raw.ttl(lock_key),
                  "pttl" => raw.pttl(lock_key) }
    moved = raw.llen("resque:queue:sched") >= 1 && raw.llen("resque:queue:java_queue") >= 1
    fired = raw.hget("resque:delayed:last_enqueued_at", "every_second")
    break if moved && fired && raw.llen("resque:queue:recurring") >= 2
    sleep 0.25
  end
  Interop.write_snapshot("#{OUT}/run/while_running.keys.json")
  Process.kill("TERM", pid)
  _, status = Process.wait2(pid)
end
facts["scheduler_exit_status"] = status.inspect
facts["lock_key_after_shutdown_exists"] = raw.exists?(lock_key)
Interop.write_json("#{OUT}/run/lock_observations.json", observed)
# The same transcript without this script's own polling connection.
own = raw.call("CLIENT", "INFO")[/addr=(\S+)/, 1]
File.write("#{OUT}/run/MONITOR-scheduler-only.txt",
           File.readlines("#{OUT}/run/MONITOR-scheduler-run.txt").reject { |l| l.include?("[0 #{own}]") }.join)
facts["poller_client_addr_filtered_out"] = own
require "resolv"
facts["Socket.gethostname"] = Socket.gethostname
facts["lock_value_hostname_per_lock_base_rb"] = Resque::Scheduler::Lock::Base.new("x").send(:hostname) rescue "n/a"
Interop.write_snapshot("#{OUT}/run/after_shutdown.keys.json")

Interop.write_json("#{OUT}/facts.json", facts)
Interop.write_versions(OUT)
Interop.flush!
puts "scheduler captures written to #{OUT}"
