-- The queues among the given ones that resque-pause's key pauses (<prefix>pause:queue:<q>), in one step.
-- ARGV: 1 prefix, 2.. queue names (the caller sends a bounded number at a time)
local paused = {}
for i = 2, #ARGV do
  if redis.call('EXISTS', P .. 'pause:queue:' .. ARGV[i]) == 1 then paused[#paused + 1] = ARGV[i] end
end
return paused
