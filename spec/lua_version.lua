-- The Lua version in the specs (issue 5): which interpreter the specs that
-- start one (the CLI, the examples, the README) run, the environment that
-- points it at this checkout, and processes with 5.2's results.
--
-- `make test` runs the suite under lua5.4 with build/?.so; with another
-- LUA_VERSION (`make test LUA_VERSION=5.1`, `make test-versions`) the
-- Makefile sets SIQUN_SPEC_LUA and SIQUN_SPEC_CPATH to that interpreter
-- and its build (build/5.1/?.so), and the commands the specs run use them.
-- What the library itself needs on each version is in siqun.compat.
--
--   local V = require "spec.lua_version"
--   V.lua                   "lua5.4", "lua5.1", "luajit" ...
--   V.cpath                 "build/?.so", "build/5.1/?.so" ...
--   V.env(lpath, cpath)     "LUA_PATH_5_4='...' LUA_CPATH_5_4='...'" for V.lua
--                           (LUA_PATH and LUA_CPATH for 5.1 and LuaJIT)
--   V.execute(cmd)          os.execute with 5.2's results: ok, "exit", code
--   V.popen(cmd)            io.popen for reading, whose close returns
--                           ok, "exit", code as on 5.2+ (5.1 and LuaJIT
--                           give only true)

local M = {}

M.lua = os.getenv("SIQUN_SPEC_LUA") or "lua5.4"
M.cpath = os.getenv("SIQUN_SPEC_CPATH") or "build/?.so"

-- The suffix of the path variables the interpreter reads first.
local suffix = M.lua:match("^lua(5%.[234])$")
suffix = suffix and "_" .. suffix:gsub("%.", "_") or ""

local function quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

function M.env(lpath, cpath)
  return ("LUA_PATH%s=%s LUA_CPATH%s=%s"):format(suffix, quote(lpath), suffix, quote(cpath))
end

-- 5.2+ (and LuaJIT built with its 5.2 extensions) report how a command
-- ended; 5.1 and plain LuaJIT give os.execute the wait status and popen's
-- close only true.
local native = type(os.execute()) == "boolean"

local function status(st)
  if st >= 256 or st == 0 then
    local code = math.floor(st / 256)
    return code == 0 or nil, "exit", code
  end
  return nil, "signal", st % 128
end

function M.execute(cmd)
  if native or cmd == nil then return os.execute(cmd) end
  return status(os.execute(cmd))
end

local Pipe = {}
Pipe.__index = Pipe

function Pipe:read(fmt)
  fmt = tostring(fmt or "l"):gsub("^%*", "")
  if fmt == "a" then
    local s = self.out:sub(self.pos)
    self.pos = #self.out + 1
    return s
  end
  if self.pos > #self.out then return nil end
  local line, nl = self.out:match("^([^\n]*)(\n?)", self.pos)
  self.pos = self.pos + #line + #nl
  if fmt == "L" then return line .. nl end
  return line
end

function Pipe:lines()
  return function() return self:read("l") end
end

function Pipe:close()
  return self.ok, self.how, self.code
end

function M.popen(cmd, mode)
  if native or (mode ~= nil and mode ~= "r") then return io.popen(cmd, mode) end
  -- the command's output, then its status on a line of its own
  local p = assert(io.popen("(" .. cmd .. "\n); printf '\\n%d' $?"))
  local all = p:read("*a")
  p:close()
  local out, code = all:match("^(.*)\n(%d+)$")
  local self = setmetatable({ out = out or all, pos = 1 }, Pipe)
  code = tonumber(code) or -1
  self.ok, self.how, self.code = code == 0 or nil, "exit", code
  if code > 128 then self.how, self.code = "signal", code - 128 end
  return self
end

return M
