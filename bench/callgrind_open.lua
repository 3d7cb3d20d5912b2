--- One run of a side of the open comparison in a fresh lua_State, for
-- `make bench-callgrind` (bench/callgrind.sh counts the instructions of
-- the timed part alone: driver.c's run_timed, which is require, open and
-- the read of every field, the dynamic loading of core.so included).
--
--   build/bench/driver bench/callgrind_open.lua gen        writes the chunks
--   build/bench/driver bench/callgrind_open.lua SIDE       (siqun, floor, cjson)
--
-- `gen` writes build/bench/open_*.lua (bench/gen.lua, as `make bench`
-- does) in a process of its own: this one must not have loaded siqun.core,
-- so that the fresh state loads it from scratch, as in `make bench`.
-- luacheck: read globals bench
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"

local side = assert(arg[1], "usage: driver callgrind_open.lua gen|SIDE")
if side == "gen" then
  local gen = require "gen"
  os.execute("mkdir -p '" .. lib.OUT .. "'")
  local tables = gen.export()
  gen.write_json(tables, lib.OUT .. "/article.json")
  gen.write_chunks(tables, lib.OUT)
else
  local _, sum = bench.fresh(("%s/open_%s.lua"):format(lib.OUT, side), 1)
  print(side .. ": " .. sum)
end
