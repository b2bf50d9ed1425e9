-- Moves the head of one due bucket, but only if that head is still exactly the items the caller read, so that
-- each item reaches its queue once even when another scheduler (Ruby's or a pool's) moves the same bucket.
-- Per item: SREM timestamps:<item> delayed:<ts>, then SADD queues + RPUSH queue:<q> of the job, or RPUSH failed
-- of a failure entry; then LTRIM the bucket; an empty bucket is DELeted and ZREMed, as resque-scheduler does.
-- Returns the items left in the bucket, -1 when its head changed, -2 when its key is not a list (then ZREMed), and
-- -2-i, with nothing written, when the queue key of item i holds something other than a list.
-- ARGV: 1 prefix, 2 zset member, 3 bucket key without prefix (delayed:<ts>), 4 item count n,
--       then per item: encoded item, queue ('' for a failure), job payload or failure entry
local list = P .. ARGV[3]
local kind = redis.call('TYPE', list).ok
if kind ~= 'list' and kind ~= 'none' then
  redis.call('ZREM', P .. 'delayed_queue_schedule', ARGV[2])
  return -2
end
local n = tonumber(ARGV[4])
if n > 0 then
  local head = redis.call('LRANGE', list, 0, n - 1)
  if #head ~= n then return -1 end
  for i = 1, n do
    if head[i] ~= ARGV[2 + i * 3] then return -1 end
  end
  for i = 1, n do
    local q = ARGV[3 + i * 3]
    if q ~= '' then
      local qtype = redis.call('TYPE', P .. 'queue:' .. q).ok
      if qtype ~= 'list' and qtype ~= 'none' then return -2 - i end
    end
  end
  local woken = {}
  for i = 1, n do
    local item, q, out = ARGV[2 + i * 3], ARGV[3 + i * 3], ARGV[4 + i * 3]
    redis.pcall('SREM', P .. 'timestamps:' .. item, ARGV[3])
    if q ~= '' then
      redis.call('SADD', P .. 'queues', q)
      redis.call('RPUSH', P .. 'queue:' .. q, out)
      if not woken[q] then
        woken[q] = true
        redis.call('PUBLISH', P .. 'resquepool:enqueued', q)
      end
    else
      redis.call('RPUSH', P .. 'failed', out)
    end
  end
  redis.call('LTRIM', list, n, -1)
end
local left = redis.call('LLEN', list)
if left == 0 then
  redis.call('DEL', list)
  redis.call('ZREM', P .. 'delayed_queue_schedule', ARGV[2])
end
return left
