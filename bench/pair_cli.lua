--- cli: the installed `siqun` command against `sqlite3 -json` answering the
-- same question from siqun's SQLite export, both as whole processes
-- (posix_spawn + wait, bench.spawn), fresh each time.
--
-- BENCH_CLI is the command (make bench installs it into
-- build/bench/cli/ and sets it); its own `report figures -f sqlite` makes
-- the export.  The two answers are checked to list the same records.
-- luacheck: read globals bench
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local lib = require "lib"

local CLI = os.getenv("BENCH_CLI") or (lib.OUT .. "/cli/bin/siqun")
local DB = lib.OUT .. "/cli.db"
local QUERY = "figures where value >= 1000000"
local SQL = "select * from figures where value >= 1000000"
local RUNS = 20

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function capture(cmd)
  local p = assert(io.popen(cmd))
  local out = p:read("a")
  local ok = p:close()
  return ok and out or nil
end

local function skip(why)
  print("cli: skipped: " .. why)
  lib.result("cli", { skip = why:gsub("%s", "_"), unit = "ms" })
  os.exit(0)
end

if not capture("command -v sqlite3") then skip("no sqlite3 command") end
if not os.execute(("%s report figures -f sqlite -o %s --force"):format(quote(CLI), quote(DB))) then
  error("cannot make the SQLite export with " .. CLI)
end

local siqun_argv = { CLI, "query", QUERY, "--format", "json" }
local sqlite_argv = { "sqlite3", "-json", DB, SQL }

-- The same records on both sides, in the same order.
local function ids(out)
  local t = {}
  for id in assert(out):gmatch('"id": ?"([^"]*)"') do t[#t + 1] = id end
  return table.concat(t, ",")
end
local a = ids(capture(table.concat({ quote(CLI), "query", quote(QUERY), "--format json" }, " ")))
local b = ids(capture(("sqlite3 -json %s %s"):format(quote(DB), quote(SQL))))
if a == "" or a ~= b then error(("not the same answer: siqun %q, sqlite3 %q"):format(a, b)) end

local sides = {
  { name = "siqun", fn = function() return bench.spawn(siqun_argv, RUNS) / RUNS * 1e3 end },
  { name = "sqlite", fn = function() return bench.spawn(sqlite_argv, RUNS) / RUNS * 1e3 end },
}
local res = lib.alternate(lib.rounds(15), sides)
print(("cli: whole process, %d runs per round (ms per process); %d records, same on both sides")
  :format(RUNS, select(2, a:gsub(",", "")) + 1))
lib.report(("siqun query '%s' --format json"):format(QUERY), "ms", res.siqun)
lib.report(("sqlite3 -json cli.db '%s'"):format(SQL), "ms", res.sqlite)
lib.result("cli", { siqun = lib.median(res.siqun), baseline = lib.median(res.sqlite), unit = "ms" })
