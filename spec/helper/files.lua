-- Files for the specs: whole files read and written, temporary directories
-- removed at the end, and copies of the valid fixture (spec/fixtures/valid,
-- an invented town bulletin) with one mutation each.
--
--   local files = require "spec.helper.files"
--   files.read(path), files.write(path, s)
--   files.read_optional(path)  nil for a file that cannot be opened
--   files.tmpdir()            a new directory, removed by files.cleanup()
--   files.fixture(mutate)     a copy of the fixture in a new directory, after
--                             mutate(t) changed t (file name -> content; a
--                             nil content removes the file)
--   files.replace(s, a, b)    s with its one occurrence of plain text a
--                             replaced by b (an error if none or several)
--   files.refused(dir)        core.open(dir) must fail: its message
--   files.peak_kb()           this process's peak resident memory (VmHWM,
--                             kB), nil where /proc has none
--   files.reset_peak()        the peak set back to the current use (Linux:
--                             /proc/self/clear_refs), so that a measurement
--                             does not compare against an earlier peak
--   teardown(files.cleanup)

local V = require "spec.lua_version"
local luassert = require "luassert"

local M = {}

M.FIXTURE = "spec/fixtures/valid"
M.FILES = { "datapackage.json", "meta.csv", "sections.csv", "figures.csv", "quotas.csv",
            "glossary.csv", "members.csv", "places.csv", "people.csv", "events.csv" }

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- The content of path, or nil when it cannot be opened.
function M.read_optional(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

local dirs = {}

function M.tmpdir()
  local p = assert(V.popen("mktemp -d"))
  local dir = p:read("*l")
  p:close()
  assert(dir and dir:match("^/"), "mktemp -d failed")
  dirs[#dirs + 1] = dir
  return dir
end

function M.cleanup()
  for _, d in ipairs(dirs) do os.execute(("rm -rf '%s'"):format(d)) end
  dirs = {}
end

-- The fixture's files: name -> content.
function M.fixture_files()
  local t = {}
  for _, name in ipairs(M.FILES) do t[name] = M.read(M.FIXTURE .. "/" .. name) end
  return t
end

function M.fixture(mutate)
  local t = M.fixture_files()
  if mutate then mutate(t) end
  local dir = M.tmpdir()
  local names = {}
  for name in pairs(t) do names[#names + 1] = name end
  table.sort(names) -- (written in a fixed order: pairs' is random on 5.4)
  for _, name in ipairs(names) do M.write(dir .. "/" .. name, t[name]) end
  return dir
end

function M.replace(s, from, to)
  local i, j = s:find(from, 1, true)
  assert(i, "mutation target not found: " .. from)
  assert(not s:find(from, j + 1, true), "mutation target not unique: " .. from)
  return s:sub(1, i - 1) .. to .. s:sub(j + 1)
end

function M.refused(dir)
  local ds, err = require("siqun.core").open(dir)
  luassert.is_nil(ds)
  luassert.is_string(err)
  return err
end

function M.peak_kb()
  local s = M.read_optional("/proc/self/status")
  return s and tonumber(s:match("VmHWM:%s*(%d+)"))
end

function M.reset_peak()
  local f = io.open("/proc/self/clear_refs", "w")
  if f then
    f:write("5")
    f:close()
  end
end

return M
