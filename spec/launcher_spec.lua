-- The compiled `siqun` command (csrc/cli/siqun_main.c, build/cli/siqun;
-- build/<version>/cli/siqun for the Lua under test): the same commands as
-- bin/siqun, its own install prefix on package.path and package.cpath,
-- signals, and output that cannot be written.  Installing it is
-- spec/install_spec.lua's part.

local V = require "spec.lua_version"

local BIN = V.cpath:gsub("%?%.so$", "") .. "cli/siqun"
local LUAV = V.lua == "luajit" and "5.1" or V.lua:match("^lua(5%.%d)$")
local SIGNAL_RUN = "spec/helper/signal_run.pl"

local function quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

-- Runs a shell command line; returns the exit code, stdout and stderr.
local function sh(cmd)
  local errfile = os.tmpname()
  local p = assert(V.popen(cmd .. " 2>" .. quote(errfile)))
  local out = p:read("*a")
  local _, _, code = p:close()
  local err = read(errfile)
  os.remove(errfile)
  return code, out, err
end

local function tmpdir()
  local _, out = sh("mktemp -d")
  return (out:gsub("%s+$", ""))
end

local function abs(path)
  local _, out = sh("realpath " .. quote(path))
  return (out:gsub("%s+$", ""))
end

-- A Lua file for --load that tells what the command's Lua sees.
local SHOW = [[
io.stderr:write("path=", package.path, "\n", "cpath=", package.cpath, "\n",
                "arg0=", tostring(arg and arg[0]), " arg2=", tostring(arg and arg[2]), "\n")
]]

-- `cmd report --list --load show.lua` from dir (default /) in a clean
-- environment plus env; returns package.path, package.cpath and arg[0].
local function show_paths(cmd, env, dir)
  local tmp = tmpdir()
  write(tmp .. "/show.lua", SHOW)
  local code, _, err = sh(("cd %s && env -i PATH=%s %s %s report --list --load %s")
    :format(quote(dir or "/"), quote(os.getenv("PATH")), env or "", cmd, quote(tmp .. "/show.lua")))
  sh("rm -rf " .. quote(tmp))
  assert.equal(0, code, err)
  return err:match("path=([^\n]*)"), err:match("cpath=([^\n]*)"), err:match("arg0=(%S*)")
end

local function starts(prefix, s)
  assert.is_string(s)
  assert.equal(prefix, s:sub(1, #prefix))
end

describe("the siqun command (" .. BIN .. ")", function()
  it("is a compiled program", function()
    assert.equal("\127ELF", (read(BIN) or ""):sub(1, 4))
  end)

  it("runs the commands of siqun.cli as bin/siqun does", function()
    for _, args in ipairs {
      "query 'figures where value >= 1000000' --format json",
      "summary --width 60",
      "quantity 近50万名",
      "query 'figures where' --format json", -- a bad query: 1
      "query",                              -- a usage error: 2
    } do
      local code, out, err = sh(BIN .. " " .. args)
      local code2, out2, err2 = sh(V.lua .. " bin/siqun " .. args)
      assert.equal(code2, code, args)
      assert.equal(out2, out, args)
      assert.equal(err2, err, args)
    end
  end)

  it("puts its prefix's share/lua and lib/lua first, the defaults and LUA_PATH after", function()
    local prefix = tmpdir()
    assert.equal(0, (sh(("mkdir -p %s/bin && cp %s %s/bin/siqun"):format(quote(prefix), BIN, quote(prefix)))))
    prefix = abs(prefix)
    local share = ("%s/share/lua/%s/"):format(prefix, LUAV)
    local lib = ("%s/lib/lua/%s/"):format(prefix, LUAV)
    local path, cpath, arg0 = show_paths(quote(prefix .. "/bin/siqun"))
    starts(share .. "?.lua;" .. share .. "?/init.lua;", path)
    starts(lib .. "?.so;", cpath)
    assert.equal(prefix .. "/bin/siqun", arg0)
    -- the user's variables still apply, after the prefix
    local env = V.env("/nowhere/?.lua;;", "/nowhere/?.so;;")
    path, cpath = show_paths(quote(prefix .. "/bin/siqun"), env)
    starts(share .. "?.lua;" .. share .. "?/init.lua;/nowhere/?.lua;", path)
    starts(lib .. "?.so;/nowhere/?.so;", cpath)
    -- through a symbolic link in another directory, from another directory
    local links = tmpdir()
    sh(("ln -s %s %s/siqun"):format(quote(prefix .. "/bin/siqun"), quote(links)))
    path = show_paths(quote(links .. "/siqun"), nil, links)
    starts(share .. "?.lua;", path)
    sh("rm -rf " .. quote(prefix) .. " " .. quote(links))
  end)

  it("leaves out a prefix that a Lua path cannot hold (';' in it)", function()
    local prefix = tmpdir() .. "/a;b"
    sh(("mkdir -p %s/bin && cp %s %s/bin/siqun"):format(quote(prefix), BIN, quote(prefix)))
    local path = show_paths(quote(prefix .. "/bin/siqun"))
    assert.is_nil(path:find("a;b", 1, true))
    sh("rm -rf " .. quote(prefix:match("^(.*)/")))
  end)

  it("finds its prefix from argv[0] and PATH without /proc/self/exe", function()
    -- the same program built with -DSQ_CLI_NO_PROC (what a system without
    -- /proc gets)
    local code, _, err = sh("make -s CLI_DIR=build/cli-noproc CLI_CPPFLAGS=-DSQ_CLI_NO_PROC "
      .. "build/cli-noproc/siqun")
    assert.equal(0, code, err)
    local prefix = tmpdir()
    sh(("mkdir -p %s/bin && cp build/cli-noproc/siqun %s/bin/siqun"):format(quote(prefix), quote(prefix)))
    prefix = abs(prefix)
    local share = ("%s/share/lua/5.4/"):format(prefix)
    starts(share, (show_paths(quote(prefix .. "/bin/siqun"))))          -- a path
    local links = tmpdir()
    sh(("ln -s %s %s/siqun"):format(quote(prefix .. "/bin/siqun"), quote(links)))
    starts(share, (show_paths(quote(links .. "/siqun"))))                -- a link
    local tmp = tmpdir()
    write(tmp .. "/show.lua", SHOW)
    code, _, err = sh(("cd / && env -i PATH=%s:/usr/bin:/bin siqun report --list --load %s")
      :format(quote(links), quote(tmp .. "/show.lua")))
    assert.equal(0, code, err)
    starts(share, err:match("path=([^\n]*)"))                            -- a name in PATH
    sh("rm -rf " .. quote(prefix) .. " " .. quote(links) .. " " .. quote(tmp))
  end)

  it("runs the finalizers of what a user's file made (--load) before it ends", function()
    -- (siqun's own commands leave the state to the end of the process; a
    -- user's file may count on __gc, so then the state is closed)
    local tmp = tmpdir()
    local marker = tmp .. "/finalized"
    write(tmp .. "/gc.lua", ([[
local report = require "siqun.report"
local function finalize()
  local f = assert(io.open(%q, "w"))
  f:write("finalized")
  f:close()
end
local guard
if newproxy then -- (5.1 and LuaJIT: only a userdata has __gc)
  guard = newproxy(true)
  getmetatable(guard).__gc = finalize
else
  guard = setmetatable({}, { __gc = finalize })
end
report.register("guarded", function()
  assert(guard)
  return { title = "guarded", blocks = { { kind = "para", text = "ok" } } }
end, "keeps a value with a finalizer")
]]):format(marker))
    local code, out, err = sh(BIN .. " report guarded --load " .. quote(tmp .. "/gc.lua"))
    assert.equal(0, code, err)
    assert.equal("guarded\n=======\n\nok\n", out)
    assert.equal("finalized", read(marker))
    sh("rm -rf " .. quote(tmp))
  end)

  it("fails with status 1 when its output cannot be written", function()
    local f = io.open("/dev/full", "w")
    if not f then
      pending("no /dev/full")
      return
    end
    f:close()
    local code, _, err = sh(BIN .. " quantity 1 > /dev/full")
    assert.equal(1, code)
    assert.equal("siqun: write error: No space left on device\n", err)
    code, _, err = sh(BIN .. " summary > /dev/full")
    assert.equal(1, code)
    assert.equal("siqun: write error: No space left on device\n", err)
  end)

  describe("killed by SIGINT, SIGTERM or SIGHUP", function()
    if sh("command -v perl >/dev/null") ~= 0 then
      pending("perl not installed: skipped")
      return
    end
    -- A report that loops (with LuaJIT's compiler off: compiled code runs
    -- no hook) and removes its marker file when it is interrupted.
    local SPIN = [[
local report = require "siqun.report"
if rawget(_G, "jit") then jit.off() end
report.register("spin", function()
  local f = assert(io.open(os.getenv("SPIN_MARKER"), "w"))
  f:close()
  local ok, err = pcall(function() while true do end end)
  os.remove(os.getenv("SPIN_MARKER"))
  error(err, 0)
end, "never ends")
]]

    for _, case in ipairs { { "INT", 2 }, { "TERM", 15 }, { "HUP", 1 } } do
      it(("SIG%s: unwinds (cleanup runs), then dies by that signal"):format(case[1]), function()
        local tmp = tmpdir()
        write(tmp .. "/spin.lua", SPIN)
        local marker = tmp .. "/running"
        local code, out, err = sh(("SPIN_MARKER=%s perl %s %s %s %s report spin --load %s")
          :format(quote(marker), SIGNAL_RUN, case[1], quote(marker), BIN, quote(tmp .. "/spin.lua")))
        assert.equal(0, code, err)
        assert.equal("signal " .. case[2] .. "\n", out)
        assert.equal("siqun: interrupted\n", err)
        assert.is_nil(read(marker)) -- removed by the report's cleanup
        sh("rm -rf " .. quote(tmp))
      end)
    end

    it("SIGTERM during `scan -` on a pipe that stays open", function()
      local code, out, err = sh(("perl %s TERM - %s scan -"):format(SIGNAL_RUN, BIN))
      assert.equal(0, code, err)
      assert.equal("signal 15\n", out)
      assert.equal("siqun: interrupted\n", err)
    end)
  end)
end)
